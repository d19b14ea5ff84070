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
  'networking.k8s.io/v1/NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1',
  'policy/v1/PodDisruptionBudget': 'kubernetes-models/policy/v1',
};

function manifests(): { file: string; doc: any }[] {
  return readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((file) => parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((d) => ({ file, doc: d.toJS() })));
}

const byKind = (kind: string) => manifests().find((m) => m.doc.kind === kind)!.doc;

describe('Kubernetes manifests', () => {
  it('every manifest validates against the Kubernetes OpenAPI schema of its kind', async () => {
    const all = manifests();
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const { file, doc } of all) {
      const key = `${doc.apiVersion}/${doc.kind}`;
      expect(MODELS[key], `${file}: unexpected kind ${key}`).toBeDefined();
      const models = await import(MODELS[key]);
      const Model = models[doc.kind];
      expect(() => new Model(doc).validate(), `${file} (${key})`).not.toThrow();
    }
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
