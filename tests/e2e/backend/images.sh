# shellcheck shell=bash
# tests/e2e/backend/images.sh - the two versions of the backend tests' image (source it after lib.sh).
#
#   build_backend_images    builds and pushes $WT_REGISTRY/wiretap-e2e/backend:v1 and :v2 (once per
#                           sandbox: skipped when both exist), sets BACKEND_V1 and BACKEND_V2
#
# v1 and v2 differ in everything a container inherits from its image: ENV, HEALTHCHECK, LABEL,
# STOPSIGNAL, WORKDIR, EXPOSE, VOLUME, USER is left alone (the tests run as root).

BACKEND_V1=${WT_REGISTRY:-127.0.0.1:5000}/wiretap-e2e/backend:v1
BACKEND_V2=${WT_REGISTRY:-127.0.0.1:5000}/wiretap-e2e/backend:v2

build_backend_images() {
    BACKEND_V1=$WT_REGISTRY/wiretap-e2e/backend:v1
    BACKEND_V2=$WT_REGISTRY/wiretap-e2e/backend:v2
    if docker image inspect "$BACKEND_V1" "$BACKEND_V2" >/dev/null 2>&1; then
        return 0
    fi
    build_web_image "$BACKEND_V1" 1.0 \
        'ENV APP_VERSION=1.0 APP_GREETING="héllo wörld"' \
        'HEALTHCHECK --interval=2s --timeout=2s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1:5000/ || exit 1' \
        'LABEL app.tier=web app.generation=one' \
        'STOPSIGNAL SIGTERM' \
        'WORKDIR /www' \
        'EXPOSE 5001/udp' \
        'VOLUME /data' >/dev/null
    build_web_image "$BACKEND_V2" 1.1 \
        'ENV APP_VERSION=1.1 APP_GREETING="héllo wörld"' \
        'HEALTHCHECK --interval=3s --timeout=1s --retries=2 CMD ["/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:5000/version"]' \
        'LABEL app.tier=web app.generation=two' \
        'STOPSIGNAL SIGQUIT' \
        'WORKDIR /' \
        'EXPOSE 5002/udp' \
        'VOLUME /data' >/dev/null
}
