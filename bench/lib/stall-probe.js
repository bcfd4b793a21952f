// Loaded with `node --import` into the process under test: records each run of its main thread longer
// than 20 ms of CPU time between two 2 ms timer ticks (our own work and GC, not time the machine gave
// to other processes), and writes them to STALL_PROBE_FILE at exit.
import { writeFileSync } from 'node:fs';

const file = process.env.STALL_PROBE_FILE;
const cpu = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
const started = performance.now();
let last = cpu();
const stalls = [];
const timer = setInterval(() => {
  const now = cpu();
  if (now - last > 20) stalls.push({ atMs: Math.round(performance.now() - started), cpuMs: now - last });
  last = now;
}, 2);
timer.unref();
process.on('exit', () => {
  if (file) writeFileSync(file, JSON.stringify(stalls));
});
