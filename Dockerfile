# syntax=docker/dockerfile:1
# Build stage: dev dependencies, compile TypeScript to dist/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The typed client is a workspace of the root package: npm ci needs its manifest.
COPY clients/typescript/package.json ./clients/typescript/
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies only, non-root.
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    TRAP_PORT=162 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
COPY clients/typescript/package.json ./clients/typescript/
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# The standard MIB set, with its licence (mibs/COPYING.net-snmp); loaded at start.
COPY mibs ./mibs
# The browser console's own files, served as they are (its libraries come from node_modules).
COPY console ./console
USER node
EXPOSE 8080 162/udp
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Binding UDP 162 as a non-root user needs CAP_NET_BIND_SERVICE (granted in k8s/deployment.yaml);
# DHCP broadcast mode also needs CAP_NET_RAW (SO_BINDTODEVICE).
CMD ["node", "dist/main.js"]
