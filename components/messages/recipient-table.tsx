import Box from "@mui/material/Box";
import Paper from "@mui/material/Paper";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import type { MessageDetail, RecipientView } from "@/lib/messages/message-view";

const stateLabels: Record<RecipientView["state"], string> = {
  accepted: "Accepted",
  deferred: "Deferred — will retry",
  refused: "Refused",
  unknown: "Unknown outcome — will retry",
  pending: "Waiting",
};

/** Each recipient with its delivery state and the server's reason: what "partly delivered" means here. */
export function RecipientTable({ message }: { message: Pick<MessageDetail, "recipients" | "status"> }) {
  const stateOf = (r: RecipientView) =>
    r.state === "pending" && message.status === "cancelled" ? "Not sent" : stateLabels[r.state];
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="subtitle1" component="h2" gutterBottom id="recipients-heading">
        Recipients
      </Typography>
      {/* Scrolls sideways on a narrow screen: focusable, so the keyboard can scroll it too. */}
      <Box sx={{ overflowX: "auto" }} tabIndex={0} role="region" aria-labelledby="recipients-heading">
        <Table size="small" aria-labelledby="recipients-heading" data-testid="recipient-table">
          <TableHead>
            <TableRow>
              <TableCell component="th" scope="col">
                Recipient
              </TableCell>
              <TableCell component="th" scope="col">
                State
              </TableCell>
              <TableCell component="th" scope="col">
                Server reply
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {message.recipients.map((r) => (
              <TableRow key={r.address} data-state={r.state}>
                <TableCell component="th" scope="row" sx={{ wordBreak: "break-all" }}>
                  {r.address}
                </TableCell>
                <TableCell
                  sx={{
                    color:
                      r.state === "refused"
                        ? "error.main"
                        : r.state === "accepted"
                          ? "success.main"
                          : "text.primary",
                    whiteSpace: "nowrap",
                  }}
                >
                  {stateOf(r)}
                </TableCell>
                <TableCell sx={{ wordBreak: "break-word" }}>{r.reason ?? "—"}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Paper>
  );
}
