/** The extension's package.json, read at runtime (it is being edited while the suite is developed). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';

export interface ViewContainerContribution {
  id: string;
  title: string;
}

export interface ViewContribution {
  id: string;
  name: string;
}

export interface Manifest {
  publisher: string;
  name: string;
  version: string;
  contributes?: {
    commands?: Array<{ command: string; title: string; category?: string }>;
    viewsContainers?: { activitybar?: ViewContainerContribution[] };
    views?: Record<string, ViewContribution[]>;
  };
}

export function readManifest(root: string = repoRoot): Manifest {
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
}

export function extensionId(manifest: Manifest): string {
  return `${manifest.publisher}.${manifest.name}`;
}
