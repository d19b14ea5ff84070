export { PROBERS, ProbeService, type ProberRegistry, type Resolver } from './runner.ts';
export * from './types.ts';
