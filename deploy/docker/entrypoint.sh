#!/bin/sh
# Container entrypoint for both image targets. The app reads its settings from the environment only
# (lib/env.ts), while Docker secrets arrive as files: for each secret setting below, NAME_FILE=/path exports
# NAME with the file's contents (trailing newline dropped). A fixed list, so unrelated *_FILE variables
# (CA bundles and the like) are never expanded into the environment.
set -eu

for name in DATABASE_URL AUTH_SECRET ENCRYPTION_KEY METRICS_TOKEN REDIS_URL VAPID_PUBLIC_KEY VAPID_PRIVATE_KEY OPENAI_API_KEY; do
  eval "file=\${${name}_FILE:-}"
  [ -n "$file" ] || continue
  if [ ! -r "$file" ]; then
    echo "entrypoint: ${name}_FILE=$file is not a readable file" >&2
    exit 1
  fi
  value="$(cat "$file")"
  export "$name=$value"
  unset "${name}_FILE"
done

exec "$@"
