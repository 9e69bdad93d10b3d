export * from './election';
export * from './rational';
export * from './natural-order';
export * from './pabulib';
export * from './tally';
export * from './equal-shares';
export * from './outcome';
export * from './synthetic-election';
