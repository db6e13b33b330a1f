// Every workflow the worker runs, one per file.
export { blockerEscalation } from './blocker-escalation.workflow';
export { projectLifecycle } from './project-lifecycle.workflow';
export { weeklyBulletin, investmentCheck } from './scheduled.workflow';
export { approvalItem } from './approval-item.workflow';
export { backgroundJob } from './background-job.workflow';
export { noticeDelivery, deliverySweep } from './notice-delivery.workflow';
export { noticeDigest } from './notice-digest.workflow';
