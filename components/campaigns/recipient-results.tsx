"use client";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableContainer from "@mui/material/TableContainer";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import SelectField from "@/components/ui/select-field";
import Typography from "@mui/material/Typography";
import { useEffect, useState } from "react";
import type { RecipientResult } from "@/components/campaigns/types";
import { fetchJson } from "@/lib/api/client";

const label: Record<string, string> = {
  pending: "Waiting",
  queued: "In the outbox",
  sent: "Sent",
  failed: "Failed",
  cancelled: "Cancelled",
  skipped: "Not sent",
};

/** The first rows of the campaign with their result, filtered by status. */
export function RecipientResults({ campaignId, refresh }: { campaignId: string; refresh: string }) {
  const [status, setStatus] = useState("");
  const [rows, setRows] = useState<RecipientResult[] | null>(null);

  useEffect(() => {
    let live = true;
    const query = status ? `?status=${status}&limit=200` : "?limit=200";
    fetchJson<{ recipients: RecipientResult[] }>(`/api/campaigns/${campaignId}/recipients${query}`).then(
      (d) => live && setRows(d.recipients),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [campaignId, status, refresh]);

  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="results-title">
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: "center", mb: 1, flexWrap: "wrap" }}>
        <Typography id="results-title" variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          Recipients
        </Typography>
        <SelectField
          size="small"
          label="Show"
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          sx={{ minWidth: 160 }}
        >
          <option value="">All</option>
          {["pending", "queued", "sent", "failed", "cancelled", "skipped", "unsubscribed"].map((s) => (
            <option key={s} value={s}>
              {label[s] ?? "Unsubscribed"}
            </option>
          ))}
        </SelectField>
      </Stack>
      <TableContainer>
        <Table size="small" aria-labelledby="results-title">
          <TableHead>
            <TableRow>
              <TableCell>Row</TableCell>
              <TableCell>Email</TableCell>
              <TableCell>Result</TableCell>
              <TableCell>Why</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows?.map((r) => (
              <TableRow key={r.position} data-testid="recipient-row">
                <TableCell>{r.position}</TableCell>
                <TableCell sx={{ wordBreak: "break-all" }}>{r.email}</TableCell>
                <TableCell>
                  {label[r.status] ?? r.status}
                  {r.unsubscribedAt ? " · unsubscribed" : ""}
                </TableCell>
                <TableCell>{r.reason ?? ""}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {rows?.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No rows here.
        </Typography>
      )}
    </Paper>
  );
}
