#!/usr/bin/env bash
# A real S3 server for tests and benches: a single-node Ceph cluster (one monitor, one memory-backed OSD,
# one RADOS gateway) from Debian's `radosgw ceph-mon ceph-osd`, on free loopback ports, without systemd.
#
#   scripts/rgw.sh start DIR   start it in DIR (created); writes DIR/env (AWS_* and GEOPERA_TEST_S3_BUCKET)
#   scripts/rgw.sh stop DIR    stop its daemons by their pid files and remove DIR
#
# Exit status 3 from `start` means Ceph is not installed (callers skip with a message).
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

stop() {
  # Gateway first, then the OSD, then the monitor: each by the pid file it wrote.
  for name in client.rgw.a osd.0 mon.a; do
    local pidfile="$dir/run/$name.pid"
    [[ -f "$pidfile" ]] || continue
    local pid
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$dir"
}

if [[ "$cmd" == stop ]]; then
  stop
  exit 0
fi
[[ "$cmd" == start ]] || { echo "unknown command $cmd" >&2; exit 2; }

for bin in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool; do
  command -v "$bin" >/dev/null 2>&1 || { echo "Ceph is not installed ($bin missing): apt-get install --no-install-recommends radosgw ceph-mon ceph-osd" >&2; exit 3; }
done

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

mkdir -p "$dir"/{run,log,mon,osd,rgw}
dir="$(cd "$dir" && pwd)"
trap 'echo "rgw start failed; logs in $dir/log" >&2; tail -n 20 "$dir"/log/*.log >&2 2>/dev/null || true' ERR

fsid="$(cat /proc/sys/kernel/random/uuid)"
mon_port="$(free_port)"
rgw_port="$(free_port)"
conf="$dir/ceph.conf"
cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
mon initial members = a
public network = 127.0.0.0/8
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
ms mon client mode = crc
ms client mode = crc
ms mon service mode = crc
ms service mode = crc
ms cluster mode = crc
run dir = $dir/run
log file = $dir/log/\$name.log
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
keyring = $dir/keyring
mon data = $dir/mon/\$cluster-\$id
osd data = $dir/osd/\$cluster-\$id
mon allow pool size one = true
osd pool default size = 1
osd pool default min size = 1
osd crush chooseleaf type = 0
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
mon warn on pool no redundancy = false
osd objectstore = memstore
memstore device bytes = 1073741824
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
rgw dns name = localhost
EOF

wait_for() { # tries, then a command
  local n="$1"; shift
  for _ in $(seq 1 "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring"
ceph-mon -c "$conf" -i a
wait_for 150 ceph -c "$conf" --connect-timeout 5 mon stat

osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
osd_id="$(ceph -c "$conf" osd new "$osd_uuid")"
mkdir -p "$dir/osd/ceph-$osd_id"
ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" 2>>"$dir/log/stderr.log"
ceph-osd -c "$conf" -i "$osd_id" 2>>"$dir/log/stderr.log"
osd_up() { ceph -c "$conf" osd stat | grep -q '1 up'; }
wait_for 300 osd_up

radosgw -c "$conf" -n client.rgw.a 2>>"$dir/log/stderr.log"
rgw_up() { node -e "fetch('http://127.0.0.1:$rgw_port/').then(()=>process.exit(0),()=>process.exit(1))"; }
wait_for 300 rgw_up

access_key="geopera$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
secret_key="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
radosgw-admin -c "$conf" user create --uid=geopera --display-name=geopera --access-key="$access_key" --secret-key="$secret_key" >/dev/null

cat >"$dir/env" <<EOF
AWS_ENDPOINT_URL_S3=http://127.0.0.1:$rgw_port
AWS_ACCESS_KEY_ID=$access_key
AWS_SECRET_ACCESS_KEY=$secret_key
AWS_REGION=us-east-1
GEOPERA_TEST_S3_BUCKET=geopera-test
EOF
trap - ERR
echo "rgw up at http://127.0.0.1:$rgw_port (env in $dir/env)"
