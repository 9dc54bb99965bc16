import type { Services } from '../../src/services';
import { WebviewPanels } from '../../src/webviews/panels';

const registries = new WeakMap<Services, WebviewPanels>();

/** The page registry of one set of services, as `activate` would create it (one per test's services). */
export function panelsOf(services: Services): WebviewPanels {
  let panels = registries.get(services);
  if (!panels) {
    panels = new WebviewPanels(services);
    registries.set(services, panels);
  }
  return panels;
}
