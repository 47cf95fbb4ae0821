# syntax=docker/dockerfile:1
# SecureVault image. One build, two runnable targets:
#   web (the default, last stage) — the Next.js standalone server (`node server.js`): only the modules the
#                                   server imports, no tsx, no CLI.
#   tools                        — the app's sources with production node_modules and tsx, for what runs
#                                   outside the web server: `npm run db:migrate` (before web starts) and
#                                   `npm run worker` (the delivery worker).
# docker build -t securevault .                          # web
# docker build -t securevault-tools --target tools .     # migrations and the worker
ARG NODE_VERSION=20.19

FROM node:${NODE_VERSION}-bookworm-slim AS base
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /app

# All dependencies, for the build. postinstall generates the Prisma client into lib/generated/prisma, so the
# schema comes in before `npm ci`.
FROM base AS deps
# better-sqlite3 fetches a prebuilt binary; the toolchain is its fallback on platforms without one.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund

# Production dependencies only (tsx and prisma are runtime dependencies), for the tools target.
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund

FROM deps AS build
COPY . .
# Standalone output (see next.config.ts); the build also writes the service worker to public/sw.js.
RUN NEXT_OUTPUT=standalone npm run build

# What both runnable targets share: a non-root user with a numeric id (Kubernetes' runAsNonRoot can only
# verify numeric ids), a writable data directory, and the entrypoint that turns *_FILE secrets into env vars.
FROM base AS runtime
ENV NODE_ENV=production \
  PORT=3000 \
  DATA_DIR=/data
RUN groupadd --system --gid 10001 securevault \
  && useradd --system --uid 10001 --gid securevault --home-dir /app --shell /usr/sbin/nologin securevault \
  && mkdir -p /data \
  && chown securevault:securevault /data
COPY --chmod=0755 deploy/docker/entrypoint.sh /usr/local/bin/securevault-entrypoint
# SQLite database and generated secrets when no external database or secrets are configured.
VOLUME ["/data"]
ENTRYPOINT ["securevault-entrypoint"]

FROM runtime AS tools
# npm and tsx write caches; /tmp keeps the root filesystem read-only-capable (mount a tmpfs/emptyDir there).
ENV npm_config_cache=/tmp/.npm \
  npm_config_update_notifier=false
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/tsconfig.json /app/prisma.config.ts ./
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/lib ./lib
USER 10001:10001
# The worker serves no HTTP; Compose and Kubernetes restart it when it exits.
HEALTHCHECK NONE
# package.json's "worker" script, spelled out (lib/delivery/worker-command.ts): node runs the worker itself, tsx
# only as its loader, so SIGTERM reaches it and it settles its messages in flight before the container stops
# (npm would exit without passing the signal on).
CMD ["node", "--max-old-space-size=128", "--max-semi-space-size=8", "--import", "tsx", "--conditions=react-server", "lib/delivery/worker-main.ts"]

FROM runtime AS web
# Application files stay root-owned and read-only to the app user; only /data (and .next/cache) are written.
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
# Gives route handlers the socket's address (lib/security/client-address.ts); loaded before server.js.
COPY --from=build /app/lib/server/peer-address-hook.mjs ./lib/server/peer-address-hook.mjs
RUN mkdir -p .next/cache && chown securevault:securevault .next/cache
# The standalone server binds to HOSTNAME; the default would be the container's hostname only.
ENV HOSTNAME=0.0.0.0
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# As lib/server/start.ts: a larger young generation means shorter GC pauses on the send path.
CMD ["node", "--max-semi-space-size=64", "--import", "./lib/server/peer-address-hook.mjs", "server.js"]
