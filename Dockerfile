# syntax=docker/dockerfile:1
# Production image for Vestnik. One image, three roles: `serve` (HTTP API, the default), `worker`, `start`.
#   docker build -t vestnik .
#   docker run --rm -p 8080:8080 -e MONGODB_URI=... -e REDIS_URL=... vestnik
# The HEALTHCHECK probes the HTTP API, so a `worker` container (no HTTP) must override it
# (docker-compose.yml does).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts skips `prepare` (tsc), which cannot run before the sources are copied.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY inbox ./inbox
COPY bot-flows ./bot-flows
COPY bench ./bench
COPY bin ./bin
COPY docs ./docs
RUN npm run build && rm -f dist/.tsbuildinfo && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/docs ./docs
COPY --from=build --chown=node:node /app/bot-flows/examples ./bot-flows/examples
COPY --from=build --chown=node:node /app/package.json ./package.json
# `node` (uid 1000) ships with the official image.
USER node
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
# No curl in the slim image: Node 20's global fetch does the probe.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/vestnik.js"]
CMD ["serve"]
