import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import { LinkButton } from "@/components/ui/link-button";

export default function NotFound() {
  return (
    <Box sx={{ minHeight: "60dvh", display: "grid", placeItems: "center", textAlign: "center", p: 3 }}>
      <div>
        <Typography variant="h5" component="h1" gutterBottom>
          Not found
        </Typography>
        <Typography color="text.secondary">
          This page or message does not exist, or it is not yours.
        </Typography>
        <LinkButton href="/compose" sx={{ mt: 2 }}>
          Back to SecureVault
        </LinkButton>
      </div>
    </Box>
  );
}
