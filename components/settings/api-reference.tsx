"use client";
import Accordion from "@mui/material/Accordion";
import AccordionDetails from "@mui/material/AccordionDetails";
import AccordionSummary from "@mui/material/AccordionSummary";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import { useState } from "react";
import TextField from "@/components/ui/text-field";

export type ReferenceOperation = {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  scope: string;
  parameters: { name: string; in: string; description: string | null }[];
  body: unknown;
  /** The body's media type: application/json, or text/csv (a campaign's import). */
  bodyType: string | null;
  /** False: the body may be left empty (starting a campaign now). */
  bodyRequired: boolean;
  responses: { status: string; description: string; schema: unknown }[];
};
export type ReferenceEvent = { type: string; description: string; schema: unknown };

const methodColor: Record<string, "primary" | "success" | "warning" | "error"> = {
  GET: "primary",
  POST: "success",
  PATCH: "warning",
  DELETE: "error",
};

const pre = {
  m: 0,
  p: 1,
  fontSize: 12,
  overflowX: "auto",
  bgcolor: "action.hover",
  borderRadius: 1,
} as const;

/** The API reference, rendered from the OpenAPI document, with "Try it" against this server. */
export function ApiReference({
  intro,
  operations,
  events,
}: {
  intro: string;
  operations: ReferenceOperation[];
  events: ReferenceEvent[];
}) {
  // Kept in this page's memory only: never stored, gone on reload.
  const [key, setKey] = useState("");
  return (
    // Long paths and JSON may break anywhere: on a 320 px phone nothing pushes the page sideways.
    <Stack spacing={3} sx={{ maxWidth: 1000, minWidth: 0, overflowWrap: "anywhere" }}>
      <Typography variant="h6" component="h2">
        API reference
      </Typography>
      <Typography variant="body2" sx={{ whiteSpace: "pre-line" }}>
        {intro}
      </Typography>
      <Typography variant="body2">
        Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1) — generate a
        client from it.
      </Typography>
      <TextField
        label="API key for “Try it”"
        type="password"
        value={key}
        onChange={(e) => setKey(e.target.value)}
        helperText="Create one under Settings → API keys. It stays in this page only."
        autoComplete="off"
      />
      <Typography variant="h6" component="h2">
        Operations
      </Typography>
      <div>
        {operations.map((op) => (
          <Accordion key={op.operationId} disableGutters>
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              aria-controls={`${op.operationId}-body`}
              id={`${op.operationId}-head`}
            >
              <Stack direction="row" spacing={1} sx={{ alignItems: "center", flexWrap: "wrap" }}>
                <Chip size="small" label={op.method} color={methodColor[op.method] ?? "primary"} />
                <code>/api/v1{op.path}</code>
                <Typography variant="body2" color="text.secondary">
                  {op.summary}
                </Typography>
              </Stack>
            </AccordionSummary>
            <AccordionDetails id={`${op.operationId}-body`}>
              <Operation op={op} apiKey={key} />
            </AccordionDetails>
          </Accordion>
        ))}
      </div>
      <Typography variant="h6" component="h2">
        Webhook events
      </Typography>
      <Typography variant="body2">
        Each is POSTed to your webhook as JSON, signed per Standard Webhooks (webhook-id, webhook-timestamp,
        webhook-signature headers).
      </Typography>
      <div>
        {events.map((e) => (
          <Accordion key={e.type} disableGutters>
            <AccordionSummary expandIcon={<ExpandMoreIcon />}>
              <code>{e.type}</code>
            </AccordionSummary>
            <AccordionDetails>
              <Typography variant="body2" sx={{ mb: 1 }}>
                {e.description}
              </Typography>
              <Box component="pre" sx={pre}>
                {JSON.stringify(e.schema, null, 2)}
              </Box>
            </AccordionDetails>
          </Accordion>
        ))}
      </div>
    </Stack>
  );
}

function Operation({ op, apiKey }: { op: ReferenceOperation; apiKey: string }) {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const [values, setValues] = useState<Record<string, string>>({});
  const [query, setQuery] = useState("");
  const isJson = op.bodyType === "application/json";
  const [body, setBody] = useState(op.body && isJson && op.bodyRequired ? "{\n  \n}" : "");
  const [result, setResult] = useState<{ status: number; headers: string; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function tryIt() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
        encodeURIComponent(values[name] ?? ""),
      );
      const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
      const sendBody = op.body !== null && (op.bodyRequired || body.trim() !== "");
      if (sendBody && op.bodyType) headers["content-type"] = op.bodyType;
      if (op.operationId === "sendMessage") headers["idempotency-key"] = crypto.randomUUID();
      const res = await fetch(`/api/v1${path}${query ? `?${query.replace(/^\?/, "")}` : ""}`, {
        method: op.method,
        headers,
        body: sendBody ? body : undefined,
        credentials: "omit",
      });
      const text = await res.text();
      let pretty = text;
      try {
        pretty = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // Not JSON (204 has no body): shown as it came.
      }
      const shown = ["ratelimit", "ratelimit-policy", "retry-after"]
        .map((h) => (res.headers.get(h) ? `${h}: ${res.headers.get(h)}` : null))
        .filter(Boolean)
        .join("\n");
      setResult({ status: res.status, headers: shown, text: pretty });
    } catch {
      setError("The request did not reach the server.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack spacing={2}>
      <Typography variant="body2">
        Scope: <code>{op.scope}</code>
      </Typography>
      {op.parameters.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 3 }}>
          {op.parameters.map((p) => (
            <li key={`${p.in}-${p.name}`}>
              <Typography variant="body2">
                <code>{p.name}</code> ({p.in}){p.description ? ` — ${p.description}` : ""}
              </Typography>
            </li>
          ))}
        </Box>
      )}
      {op.body !== null && (
        <details>
          <summary>Request body schema</summary>
          <Box component="pre" sx={pre}>
            {JSON.stringify(op.body, null, 2)}
          </Box>
        </details>
      )}
      <details>
        <summary>Responses</summary>
        {op.responses.map((r) => (
          <Box key={r.status} sx={{ mt: 1 }}>
            <Typography variant="body2">
              <strong>{r.status}</strong> — {r.description}
            </Typography>
            {r.schema !== null && (
              <Box component="pre" sx={pre}>
                {JSON.stringify(r.schema, null, 2)}
              </Box>
            )}
          </Box>
        ))}
      </details>
      <Typography variant="subtitle2" component="h3">
        Try it
      </Typography>
      {pathParams.map((p) => (
        <TextField
          key={p.name}
          size="small"
          label={p.name}
          value={values[p.name] ?? ""}
          onChange={(e) => setValues((v) => ({ ...v, [p.name]: e.target.value }))}
        />
      ))}
      {op.method === "GET" && (
        <TextField
          size="small"
          label="Query (such as limit=5)"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      )}
      {op.body !== null && (
        <TextField
          label={`${isJson ? "JSON" : "CSV"} body${op.bodyRequired ? "" : " (optional)"}`}
          multiline
          minRows={4}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          slotProps={{ htmlInput: { style: { fontFamily: "monospace" } } }}
        />
      )}
      <div>
        <Button variant="outlined" onClick={() => void tryIt()} disabled={busy || !apiKey}>
          {busy ? "Sending…" : apiKey ? "Send request" : "Enter an API key above to try"}
        </Button>
      </div>
      {error && <Alert severity="error">{error}</Alert>}
      {result && (
        <Box role="status">
          <Typography variant="body2">
            <strong>{result.status}</strong>
          </Typography>
          {result.headers && (
            <Box component="pre" sx={pre}>
              {result.headers}
            </Box>
          )}
          <Box component="pre" sx={pre}>
            {result.text || "(no body)"}
          </Box>
        </Box>
      )}
    </Stack>
  );
}
