#!/bin/sh
# The key ceremony of compose/docker-compose.yml (its one-shot service `keys`), run as root in the node image with
# the key volumes mounted under /keys, for the nodes BETROKKEN_NODES names. What exists is kept; running it again only
# copies the public token keys.
#   /keys/federation/federation-keyring.properties  the federation ring, made once (node.jar federation-keyring)
#   /keys/<node>/                                   each node's data directory: the ring copied in, its own ring and
#                                                   token key made once (node.jar init)
#   /keys/public/<node>.jwks.json                   each node's public token keys, for the service `enrol`
# Every key volume is then handed to BETROKKEN_UID (the user the services run as), secrets owner-only.
set -eu

# The node's operator commands, as the image's entry point runs the node (Jib's class path and main class files).
node_jar() { java -cp @/app/jib-classpath-file "$(cat /app/jib-main-class-file)" "$@"; }
uid="${BETROKKEN_UID:?}"
keys="${BETROKKEN_KEYS:-/keys}"
ring="$keys/federation/federation-keyring.properties"

if [ ! -f "$ring" ]; then
  node_jar federation-keyring "$ring"
fi
for node in $BETROKKEN_NODES; do
  if [ ! -f "$keys/$node/federation-keyring.properties" ]; then
    cp "$ring" "$keys/$node/federation-keyring.properties"
    chmod 600 "$keys/$node/federation-keyring.properties"
  fi
  node_jar init "$node" "$keys/$node"
  cp "$keys/$node/node-public.jwks.json" "$keys/public/$node.jwks.json"
  chmod 644 "$keys/public/$node.jwks.json"
  chmod 700 "$keys/$node"
  chown -R "$uid:$uid" "$keys/$node"
done
chown -R "$uid:$uid" "$keys/coordinator" "$keys/public"
chmod 700 "$keys/federation"
echo "keys: ready"
