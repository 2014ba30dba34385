# Build: the same steps as the README (cgo is needed by go-sqlite3).
FROM golang:1.26-bookworm AS build
# go.mod asks for Go 1.26.10 or later (standard-library security fixes): an
# older image fetches that toolchain from the module proxy.
ENV GOTOOLCHAIN=go1.26.10+auto
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/matchmaker ./cmd/matchmaker

# Run: a small Debian image (glibc for the cgo binary), a non-root user,
# the data folder on a volume.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin matchmaker \
    && mkdir -p /data && chown matchmaker /data
COPY --from=build /out/matchmaker /usr/local/bin/matchmaker
USER matchmaker
VOLUME /data
ENV MATCHMAKER_ADDR=0.0.0.0:8080 MATCHMAKER_DATA=/data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["matchmaker"]
CMD ["serve"]
