/** Worker supervision policies: pure or timer-driven, no process handling. */
export * from './restart-policy.ts';
export * from './heartbeat.ts';
export * from './idle-tracker.ts';
export * from './health-poller.ts';
export * from './process-stats.ts';
export * from './runtime-states.ts';
export * from './latency-ring.ts';
