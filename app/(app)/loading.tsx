import Box from "@mui/material/Box";
import LinearProgress from "@mui/material/LinearProgress";

export default function Loading() {
  return (
    <Box sx={{ maxWidth: 900 }} aria-label="Loading">
      <LinearProgress />
    </Box>
  );
}
