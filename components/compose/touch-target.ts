// On phones every Compose control is at least 44 px tall (Apple's and WCAG 2.5.5's touch size); from the `sm`
// breakpoint up the compact desktop sizes stay.
export const phoneTouchTarget = { minHeight: { xs: 44, sm: "auto" } } as const;
