// Command-line entry points (npm start, db scripts) read .env files the same way `next start` does, so both
// agree on DATA_DIR and friends. Import this before anything that imports lib/env.
import { loadEnvConfig } from "@next/env";

// Runs before lib/env parses the environment, so it reads NODE_ENV itself.
loadEnvConfig(process.cwd(), process.env.NODE_ENV === "development", {
  info: () => {},
  error: console.error,
});
