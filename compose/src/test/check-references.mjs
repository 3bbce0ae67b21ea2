// What dclint does not check in a compose file: that every volume, secret, network and dependency a service names
// is declared at the top level (or is a service), and that every file it mounts or hands over as a secret is one the
// project has or makes (compose/make-secrets, the operator's identity provider secrets). Docker Compose refuses such
// a file only when it runs; the build refuses it here.
// Usage: node src/test/check-references.mjs FILE; exits 1 naming each problem.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

const file = process.argv[2];
const doc = parse(readFileSync(file, 'utf8'), { merge: true });
const base = dirname(resolve(file));
const names = (section) => new Set(Object.keys(doc[section] ?? {}));
const volumes = names('volumes');
const secrets = names('secrets');
const networks = names('networks');
const services = names('services');
const keys = (listOrMap) => (Array.isArray(listOrMap) ? listOrMap : Object.keys(listOrMap ?? {}));
const problems = [];

for (const [service, s] of Object.entries(doc.services ?? {})) {
  for (const volume of s.volumes ?? []) {
    const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
    const isPath = source.startsWith('.') || source.startsWith('/');
    if (isPath && !existsSync(resolve(base, source))) {
      problems.push(`${service}: mounts ${source}, which does not exist`);
    } else if (!isPath && !volumes.has(source)) {
      problems.push(`${service}: volume ${source} is not declared under volumes`);
    }
  }
  for (const secret of s.secrets ?? []) {
    const source = typeof secret === 'string' ? secret : secret.source;
    if (!secrets.has(source)) {
      problems.push(`${service}: secret ${source} is not declared under secrets`);
    }
  }
  for (const network of keys(s.networks)) {
    if (!networks.has(network)) {
      problems.push(`${service}: network ${network} is not declared under networks`);
    }
  }
  for (const dependency of keys(s.depends_on)) {
    if (!services.has(dependency)) {
      problems.push(`${service}: depends on ${dependency}, which is no service`);
    }
  }
}
// Secret files live under secrets/ (git-ignored): made by make-secrets, or the identity providers' client secrets.
const makeSecrets = existsSync(resolve(base, 'make-secrets')) ? readFileSync(resolve(base, 'make-secrets'), 'utf8') : '';
const made = /for name in ([a-z ]+); do/.exec(makeSecrets)?.[1].split(' ') ?? [];
for (const [secret, definition] of Object.entries(doc.secrets ?? {})) {
  const m = /^\.\/secrets\/(?:([a-z]+)-db(?:-password|\.properties)|[a-z]+-idp-client-secret|(metrics-token))$/
    .exec(definition?.file ?? '');
  if (!m) {
    problems.push(`secret ${secret}: file ${definition?.file} is not one of ./secrets/<name>-db-password, `
      + '<name>-db.properties, metrics-token (compose/make-secrets) or <node>-idp-client-secret');
  } else if (m[2] && !makeSecrets.includes('"$secrets/metrics-token"')) {
    problems.push(`secret ${secret}: compose/make-secrets makes no metrics token`);
  } else if (m[1] && !made.includes(m[1])) {
    problems.push(`secret ${secret}: compose/make-secrets makes no password for ${m[1]}`);
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(`${file}: ${p}`);
  process.exit(1);
}
console.log(`${file}: every volume, secret, network and dependency is declared`);
