import Box from "@mui/material/Box";

export const MAIN_ID = "main-content";

/** The first tab stop of every signed-in screen: jumps past the top bar and the navigation to the content. */
export function SkipLink() {
  return (
    <Box
      component="a"
      href={`#${MAIN_ID}`}
      sx={{
        position: "fixed",
        top: 8,
        left: 8,
        zIndex: 1500,
        px: 2,
        py: 1.5,
        borderRadius: 1,
        bgcolor: "background.paper",
        color: "text.primary",
        boxShadow: 4,
        fontWeight: 600,
        // Off screen until focused, yet still reachable with Tab and read by screen readers.
        transform: "translateY(-200%)",
        "&:focus": { transform: "none", outline: 2, outlineColor: "primary.main" },
      }}
    >
      Skip to content
    </Box>
  );
}
