import { accessibilitySuite } from "./screens";

// axe-core on every screen, in the light and the dark theme: no serious or critical violation. The phone
// layout runs the same suite in accessibility-mobile.spec.ts.
accessibilitySuite();
