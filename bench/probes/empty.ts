// Section 1 probe: nothing at all, the baseline of a fresh process importing a module.
export const ok = true;
