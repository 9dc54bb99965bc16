/** How a desired-state group file is named; its own module, so activation can recognise one without reading the parser. */
export const DESIRED_STATE_SUFFIX = '.entra-group.json';

/** Whether a file (its URI's path) is a desired-state group file: by its name alone, in any case. */
export const isDesiredStatePath = (path: string): boolean => path.toLowerCase().endsWith(DESIRED_STATE_SUFFIX);
