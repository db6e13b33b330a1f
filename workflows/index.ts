// Every workflow the worker runs, one per file.
export { blockerEscalation } from './blocker-escalation.workflow';
