/** Worker supervision policies (issue #3 items 8–10): pure or timer-driven, no process handling. */
export * from './restart-policy.ts';
export * from './heartbeat.ts';
export * from './idle-tracker.ts';
export * from './health-poller.ts';
export * from './process-stats.ts';
