import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const K8S = join(ROOT, 'k8s');

/** Kubernetes kinds we ship → the kubernetes-models module whose class validates them against the API's OpenAPI schema. */
const MODELS: Record<string, string> = {
  'v1/Namespace': 'kubernetes-models/v1',
  'v1/ConfigMap': 'kubernetes-models/v1',
  'v1/Secret': 'kubernetes-models/v1',
  'v1/Service': 'kubernetes-models/v1',
  'v1/PersistentVolumeClaim': 'kubernetes-models/v1',
  'apps/v1/Deployment': 'kubernetes-models/apps/v1',
  'apps/v1/StatefulSet': 'kubernetes-models/apps/v1',
  'networking.k8s.io/v1/NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1',
  'policy/v1/PodDisruptionBudget': 'kubernetes-models/policy/v1',
};

function manifests(dir = K8S): { file: string; doc: any }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => ({ file, doc: d.toJS() })));
}

const byKind = (kind: string, all = manifests()) => all.find((m) => m.doc.kind === kind)!.doc;
const named = (kind: string, name: string, all = manifests()) => all.find((m) => m.doc.kind === kind && m.doc.metadata.name === name)?.doc;

async function validate(all: { file: string; doc: any }[]): Promise<void> {
  for (const { file, doc } of all) {
    const key = `${doc.apiVersion}/${doc.kind}`;
    expect(MODELS[key], `${file}: unexpected kind ${key}`).toBeDefined();
    const models = await import(MODELS[key]);
    const Model = models[doc.kind];
    expect(() => new Model(doc).validate(), `${file} (${key})`).not.toThrow();
  }
}

/**
 * What `kubectl apply -k` would render for an overlay whose patches are the two kinds it uses:
 * `$patch: delete` (a resource of the base removed) and a strategic merge of a resource's maps (the
 * Secret's stringData). Enough to validate the result; the overlay is checked to use nothing else.
 */
function renderOverlay(dir: string): { file: string; doc: any }[] {
  const kustomization = parseYaml(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'));
  expect(kustomization.resources).toEqual(['../../']);
  let rendered = manifests();
  for (const patch of kustomization.patches) {
    const doc = patch.path ? parseYaml(readFileSync(join(dir, patch.path), 'utf8')) : parseYaml(patch.patch);
    const target = rendered.find((m) => m.doc.kind === doc.kind && m.doc.metadata.name === doc.metadata.name);
    expect(target, `${doc.kind}/${doc.metadata.name}: patch target in the base`).toBeDefined();
    if (doc.$patch === 'delete') rendered = rendered.filter((m) => m !== target);
    else target!.doc = mergeMaps(target!.doc, doc);
  }
  return rendered;
}

function mergeMaps(base: any, patch: any): any {
  if (typeof base !== 'object' || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const merged = { ...base };
  for (const [key, value] of Object.entries(patch)) merged[key] = mergeMaps(base[key], value);
  return merged;
}

/** The Deployment's environment as the service would see it: values, Secret references resolved, the password file written. */
function deploymentEnv(all: { file: string; doc: any }[]): Record<string, string> {
  const container = byKind('Deployment', all).spec.template.spec.containers[0];
  const secret = byKind('Secret', all);
  const env: Record<string, string> = {};
  for (const entry of container.env) {
    if (entry.value !== undefined) env[entry.name] = entry.value;
    else env[entry.name] = secret.stringData[entry.valueFrom.secretKeyRef.key];
  }
  const dir = mkdtempSync(join(tmpdir(), 'netprobe-k8s-'));
  writeFileSync(join(dir, 'netprobe.yaml'), byKind('ConfigMap', all).data['netprobe.yaml']);
  writeFileSync(join(dir, 'redis-password'), secret.stringData.REDIS_PASSWORD);
  return { ...env, NETPROBE_CONFIG: join(dir, 'netprobe.yaml'), REDIS_PASSWORD_FILE: join(dir, 'redis-password') };
}

describe('Kubernetes manifests', () => {
  it('every manifest validates against the Kubernetes OpenAPI schema of its kind', async () => {
    const all = manifests();
    expect(all.length).toBeGreaterThanOrEqual(11);
    await validate(all);
  });

  it('the kustomization lists every manifest and nothing missing', () => {
    const kustomization = parseYaml(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8'));
    const files = readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    for (const resource of kustomization.resources) expect(existsSync(join(K8S, resource))).toBe(true);
  });

  it('the Deployment runs non-root, read-only, with dropped capabilities and health probes', () => {
    const deployment = byKind('Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    });
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.resources.requests).toBeDefined();
    expect(container.ports).toEqual(expect.arrayContaining([expect.objectContaining({ containerPort: 162, protocol: 'UDP' })]));
  });

  it('secrets are referenced from the Secret, never inlined in the Deployment', () => {
    const container = byKind('Deployment').spec.template.spec.containers[0];
    const secretNames = new Set([byKind('Secret').metadata.name]);
    for (const name of ['API_TOKENS', 'TRAP_USERS', 'TRAP_COMMUNITIES']) {
      const env = container.env.find((e: any) => e.name === name);
      expect(env?.value, name).toBeUndefined();
      expect(secretNames.has(env?.valueFrom?.secretKeyRef?.name), name).toBe(true);
    }
  });

  it('the trap Service maps UDP 162 to the container port and the ConfigMap is a valid netprobe config', () => {
    const traps = manifests().find((m) => m.doc.kind === 'Service' && m.doc.spec.ports[0].protocol === 'UDP')!.doc;
    expect(traps.spec.ports[0]).toMatchObject({ port: 162, targetPort: 'traps', protocol: 'UDP' });
    const configYaml = byKind('ConfigMap').data['netprobe.yaml'];
    const file = join(mkdtempSync(join(tmpdir(), 'netprobe-cm-')), 'netprobe.yaml');
    writeFileSync(file, configYaml);
    const result = loadConfig({ NETPROBE_CONFIG: file });
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('replicas share the trap stream: TRAP_BUS=redis, 3 replicas, URL and password (as a mounted file) from the Secret; the whole environment is a valid config', () => {
    const deployment = byKind('Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(deployment.spec.replicas).toBe(3);
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'TRAP_BUS', value: 'redis' },
        { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'netprobe-secrets', key: 'REDIS_URL' } } },
        { name: 'REDIS_PASSWORD_FILE', value: '/run/secrets/netprobe/redis-password' },
      ]),
    );
    const volume = deployment.spec.template.spec.volumes.find((v: any) => v.name === 'redis-password');
    expect(volume.secret).toMatchObject({ secretName: 'netprobe-secrets', items: [{ key: 'REDIS_PASSWORD', path: 'redis-password' }] });
    expect(container.volumeMounts).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'redis-password', mountPath: '/run/secrets/netprobe' })]));
    const env = deploymentEnv(manifests());
    const result = loadConfig({ ...env, API_TOKENS: JSON.stringify([{ name: 'ops', token: 'a-real-token-of-some-length', scopes: ['read'] }]) });
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(result.ok && result.config.traps.bus).toBe('redis');
    expect(result.ok && result.config.redis.url).toBe('redis://netprobe-redis:6379');
  });

  it('the Redis StatefulSet: AOF on, its data on a PersistentVolumeClaim, the password from the Secret, reached only by netprobe', () => {
    const redis = named('StatefulSet', 'netprobe-redis');
    const container = redis.spec.template.spec.containers[0];
    const args: string[] = container.args;
    expect(args[args.indexOf('--appendonly') + 1]).toBe('yes');
    expect(args[args.indexOf('--requirepass') + 1]).toBe('$(REDIS_PASSWORD)');
    expect(container.env).toEqual([{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'netprobe-secrets', key: 'REDIS_PASSWORD' } } }]);
    expect(redis.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(container.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(container.readinessProbe).toBeDefined();
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(named('Service', 'netprobe-redis').spec).toMatchObject({ clusterIP: 'None', ports: [{ port: 6379 }] });
    expect(named('NetworkPolicy', 'netprobe-redis').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'netprobe' } } }], ports: [{ port: 6379, protocol: 'TCP' }] },
    ]);
  });

  it('the UDP Service keeps sender addresses (externalTrafficPolicy: Local); the PDB keeps all but one replica', () => {
    const traps = manifests().find((m) => m.doc.kind === 'Service' && m.doc.spec.ports[0].protocol === 'UDP')!.doc;
    expect(traps.spec.externalTrafficPolicy).toBe('Local');
    expect(byKind('PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'netprobe' } } });
  });

  it('overlays/external-redis: the base without its Redis, URL and password from the Secret; every rendered manifest validates and the environment is a valid config', async () => {
    const rendered = renderOverlay(join(K8S, 'overlays', 'external-redis'));
    await validate(rendered);
    expect(rendered.filter((m) => m.doc.metadata.name === 'netprobe-redis')).toEqual([]);
    expect(byKind('Deployment', rendered).spec.replicas).toBe(3);
    const env = deploymentEnv(rendered);
    expect(env.REDIS_URL).toMatch(/^rediss:\/\//);
    const result = loadConfig({ ...env, API_TOKENS: JSON.stringify([{ name: 'ops', token: 'a-real-token-of-some-length', scopes: ['read'] }]) });
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(result.ok && result.config.redis.password).toBe('REPLACE-ME-with-the-external-redis-password');
  });

  it('the placeholder API token in the Secret is refused, so nobody runs with it', () => {
    const tokens = byKind('Secret').stringData.API_TOKENS;
    const result = loadConfig({ API_TOKENS: tokens });
    expect(result.ok).toBe(false);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('passes the dockerfile-utils linter with no errors', () => {
    const problems = lintDockerfile(dockerfile).filter((p) => p.severity === 1);
    expect(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`)).toEqual([]);
  });

  it('is multi-stage, runs as non-root, exposes HTTP and UDP 162, has a HEALTHCHECK', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/--omit=dev/);
    expect(dockerfile).toMatch(/^USER (?!root)\S+/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080 162\/udp/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).not.toMatch(/API_TOKENS|authKey|privKey|community/i);
    expect(readFileSync(join(ROOT, '.dockerignore'), 'utf8')).toMatch(/node_modules/);
  });
});
