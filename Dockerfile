# Shipshape GitHub App image.
#
#   docker build -t shipshape .
#   docker run --read-only --tmpfs /tmp -p 3000:3000 \
#     -e APP_ID=… -e PRIVATE_KEY_PATH=/run/secrets/key.pem -e WEBHOOK_SECRET=… shipshape
#
# Base images are pinned by tag only. Shipshape's own image-digest-missing rule
# flags this: pin them by digest once a registry is at hand, e.g.
#   docker buildx imagetools inspect node:20-bookworm-slim   (prints "Digest: sha256:…")
# then write  FROM node:20-bookworm-slim@sha256:<digest>  in both stages.

# --- build: compile TypeScript to dist/ ---------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The package's `prepare` script runs tsc, and the sources are not here yet:
# install first without scripts, then build explicitly.
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies and compiled code only -------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    HOME=/tmp \
    npm_config_cache=/tmp/.npm
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs tsc, a dev dependency that is not installed here.
RUN npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force \
 && rm -rf /tmp/.npm
COPY --from=build /app/dist/src ./dist/src
COPY rules ./rules
COPY templates ./templates
COPY schemas ./schemas
COPY app.yml ./
# Files stay owned by root and read-only to the app; it writes only under /tmp,
# so the container runs with a read-only root filesystem (mount /tmp as tmpfs).
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "node_modules/probot/bin/probot.js", "run", "./dist/src/app/index.js"]
