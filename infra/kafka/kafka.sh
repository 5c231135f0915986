#!/usr/bin/env bash
# A real single-node Kafka broker (KRaft: broker and controller in one process) from Maven artifacts.
#   infra/kafka/kafka.sh start|stop|status
# KAFKA_PORT (9092) is the client port, KAFKA_CONTROLLER_PORT (9093) the controller's; data, log and
# PID live under $CONCIERGE_STATE/kafka (default .concierge/kafka). KAFKA_HEAP (default 512m).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
state=${CONCIERGE_STATE:-$root/.concierge}/kafka
port=${KAFKA_PORT:-9092}
controller_port=${KAFKA_CONTROLLER_PORT:-9093}
pidfile=$state/kafka.pid
log=$state/kafka.log

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

classpath() {
  local cp=$state/classpath.txt
  if [ ! -s "$cp" ] || [ "$here/pom.xml" -nt "$cp" ]; then
    mkdir -p "$state"
    mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp" >&2
  fi
  cat "$cp"
}

start() {
  if running; then echo "kafka already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return 0; fi
  if listening; then echo "something already listens on 127.0.0.1:$port; using it as Kafka"; return 0; fi
  mkdir -p "$state/data"
  cat > "$state/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$state/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
message.max.bytes=8388608
PROPS
  local cp; cp=$(classpath)
  if [ ! -f "$state/data/meta.properties" ]; then
    local id; id=$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)
    java -cp "$cp" kafka.tools.StorageTool format -t "$id" -c "$state/server.properties" >>"$log" 2>&1
  fi
  nohup java -Xms${KAFKA_HEAP:-512m} -Xmx${KAFKA_HEAP:-512m} -XX:+UseG1GC -cp "$cp" kafka.Kafka "$state/server.properties" >>"$log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 60); do
    if listening; then echo "kafka started (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return 0; fi
    running || { echo "kafka failed to start; see $log" >&2; tail -n 20 "$log" >&2; return 1; }
    sleep 0.5
  done
  echo "kafka did not open 127.0.0.1:$port within 30 s; see $log" >&2
  return 1
}

stop() {
  if running; then
    local pid; pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    echo "kafka stopped"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "kafka running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; else echo "kafka not running"; exit 3; fi ;;
  classpath) classpath ;;
  *) echo "usage: $0 start|stop|status|classpath" >&2; exit 2 ;;
esac
