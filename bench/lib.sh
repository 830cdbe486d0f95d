# Shared by the HTTP benchmarks (bench/http/run.sh, bench/serve/run.sh); sourced, not run.

# nginx_start WORK PORT: nginx on 127.0.0.1:PORT serving WORK/www as static files, as the
# reference server: 2 workers (one per core of the development machine), access log off,
# default type application/json. WORK must be readable by nginx's workers (www-data).
# Sets npid.
nginx_start() {
    mkdir -p "$1/www" "$1/nginx"
    cat >"$1/nginx.conf" <<NG
worker_processes 2;
pid $1/nginx/nginx.pid;
error_log $1/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $1/nginx;
    default_type application/json;
    server { listen 127.0.0.1:$2; root $1/www; }
}
NG
    nginx -c "$1/nginx.conf" -g 'daemon off;' &
    npid=$!
}

# ticks PID: CPU time (user + system, clock ticks) of PID and its children (nginx's workers)
ticks() {
    { echo "$1"; cat "/proc/$1/task/$1/children" 2>/dev/null; } | tr ' ' '\n' |
        while read -r q; do [ -n "$q" ] && cut -d' ' -f14,15 "/proc/$q/stat" 2>/dev/null; done |
        awk '{t += $1 + $2} END {print t + 0}'
}
hz=$(getconf CLK_TCK)
