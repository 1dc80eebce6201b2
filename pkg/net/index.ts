export * from './ip.ts';
export * from './cidr.ts';
export * from './port-range.ts';
export * from './host-port.ts';
