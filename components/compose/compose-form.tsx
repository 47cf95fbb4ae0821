"use client";
import ScheduleOutlined from "@mui/icons-material/ScheduleOutlined";
import SendOutlined from "@mui/icons-material/SendOutlined";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import dynamic from "next/dynamic";
import NextLink from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ChangeEvent,
  type FormEvent,
  type KeyboardEvent,
} from "react";
import { RecipientField } from "@/components/compose/recipient-field";
import { useDraftAutosave } from "@/components/compose/use-draft-autosave";
import { InlineMessage, Placeholder } from "@/components/ui/light-feedback";
import { bareControl, FieldFrame } from "@/components/compose/field-frame";
import { useUser } from "@/components/layout/user-context";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import { isValidAddress, type RecipientChip } from "@/lib/compose/recipients";
import type { MessageSummary } from "@/lib/messages/message-view";
import { noticeLink, noticeText, undoDeadline, type Notice } from "@/components/compose/send-notices";
import { useOnline } from "@/lib/offline/hooks";
import type { Finding } from "@/lib/validation/ai";
import type { Editor } from "@tiptap/react";
import type { Draft, OutgoingMessage } from "@/lib/offline/db";
import { sharedContentHtml } from "@/lib/compose/shared-content";
import type { Recipient } from "@/lib/validation/messages";

const RichTextEditor = dynamic(() => import("@/components/compose/rich-text-editor"), {
  ssr: false,
  loading: () => <Placeholder height={360} label="Loading editor" />,
});

export type ComposeSender = {
  id: string;
  label: string;
  fromEmail: string;
  fromName: string | null;
  /** The mail server refused its sign-in: what is sent from it waits until the password is fixed. */
  signInFailed: boolean;
};

const SendNotice = dynamic(() => import("@/components/compose/send-notice"), { ssr: false });
// The AI assistant and the pre-send check load after the page: Compose's first load stays small.
const AiTools = dynamic(() => import("@/components/compose/ai-tools"), { ssr: false });
const PreSendCheckDialog = dynamic(() => import("@/components/compose/presend-check-dialog"), { ssr: false });
const ScheduleDialog = dynamic(() => import("@/components/compose/schedule-dialog"), { ssr: false });
const PRESEND_SETTING = "securevault.presendCheck";
// The on-device database (Dexie) loads after the page, so it is not part of Compose's first load.
const drafts = () => import("@/lib/offline/drafts");
const outbox = () => import("@/lib/offline/outbox-client");
const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

export function ComposeForm({ senders }: { senders: ComposeSender[] }) {
  const user = useUser();
  const router = useRouter();
  const params = useSearchParams();
  const [loaded, setLoaded] = useState(false);
  const [draftId, setDraftId] = useState(() => crypto.randomUUID());
  const [initialHtml, setInitialHtml] = useState("");
  const [senderId, setSenderId] = useState(senders[0]?.id ?? "");
  const [to, setTo] = useState<RecipientChip[]>([]);
  const [cc, setCc] = useState<RecipientChip[]>([]);
  const [bcc, setBcc] = useState<RecipientChip[]>([]);
  const [showCopies, setShowCopies] = useState(false);
  const [subject, setSubject] = useState("");
  const body = useRef({ html: "", empty: true });
  // One key per message being written: a retried Send can never send twice.
  const idempotencyKey = useRef<string>("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  // What the pre-send check found, and the time the message was being scheduled for (Send anyway keeps it).
  const [review, setReview] = useState<{ findings: Finding[]; sendAt?: Date } | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const [checkOverride, setCheckBeforeSend] = useState<boolean | null>(null);
  const storedCheck = useSyncExternalStore(
    noSubscription,
    () => localStorage.getItem(PRESEND_SETTING) !== "off",
    () => true,
  );
  const checkBeforeSend = checkOverride ?? storedCheck;
  const online = useOnline();

  // Open the shared content, the requested draft, or the last unsent draft.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const shared = params.get("title") || params.get("text") || params.get("url");
      let draft: Draft | undefined;
      if (shared) {
        draft = newDraft(user.id, senders[0]?.id ?? "", {
          subject: params.get("title") ?? "",
          html: sharedContentHtml(params.get("text"), params.get("url")),
        });
      } else if (params.get("draft")) {
        draft = await (await drafts()).getDraft(user.id, params.get("draft")!);
      } else if (!params.get("new")) {
        draft = await (await drafts()).latestDraft(user.id);
      }
      if (cancelled) return;
      if (draft) openDraft(draft);
      setLoaded(true);
      if (draft && shared) void drafts().then((d) => d.saveDraft(draft, false));
    })();
    return () => {
      cancelled = true;
    };
    // Only when the page opens: later URL changes come from this form itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function openDraft(draft: Draft) {
    setDraftId(draft.id);
    setSenderId(senders.some((s) => s.id === draft.senderId) ? draft.senderId : (senders[0]?.id ?? ""));
    setTo(draft.to.map(toChip));
    setCc(draft.cc.map(toChip));
    setBcc(draft.bcc.map(toChip));
    setShowCopies(draft.cc.length + draft.bcc.length > 0);
    setSubject(draft.subject);
    setInitialHtml(draft.html);
    body.current = { html: draft.html, empty: !draft.html };
  }

  const { scheduleSave, cancel: cancelSave } = useDraftAutosave(() => {
    const draft: Draft = {
      id: draftId,
      userId: user.id,
      senderId,
      to: to.map(stripChip),
      cc: cc.map(stripChip),
      bcc: bcc.map(stripChip),
      subject,
      html: body.current.empty ? "" : body.current.html,
      updatedAt: Date.now(),
    };
    const empty = !subject && to.length + cc.length + bcc.length === 0 && body.current.empty;
    return { draft, empty };
  });

  useEffect(() => {
    if (loaded) scheduleSave();
  }, [loaded, to, cc, bcc, subject, senderId, scheduleSave]);

  const onBodyChange = useCallback(
    (html: string, empty: boolean) => {
      body.current = { html, empty };
      scheduleSave();
    },
    [scheduleSave],
  );

  function startOver() {
    cancelSave();
    setDraftId(crypto.randomUUID());
    setTo([]);
    setCc([]);
    setBcc([]);
    setSubject("");
    setInitialHtml("");
    body.current = { html: "", empty: true };
    idempotencyKey.current = "";
    if (params.toString()) router.replace("/compose?new=1");
  }

  async function send({ skipCheck = false, sendAt }: { skipCheck?: boolean; sendAt?: Date } = {}) {
    if (pending) return;
    setReview(null);
    setError(null);
    setFields({});
    const all = [...to, ...cc, ...bcc];
    if (all.length === 0) {
      setFields({ to: ["Add at least one recipient."] });
      return;
    }
    if (all.some((r) => !r.valid)) {
      setError("Fix the highlighted addresses before sending.");
      return;
    }
    if (checkBeforeSend && !skipCheck) {
      setPending(true);
      const { runPreSendCheck } = await import("@/lib/ai/presend-client");
      const found = await runPreSendCheck({ subject, body: editor?.getText() ?? "", attachments: 0 });
      setPending(false);
      if (found.length > 0) {
        setReview({ findings: found, sendAt });
        return;
      }
    }
    setScheduling(false);
    idempotencyKey.current ||= crypto.randomUUID();
    const message: OutgoingMessage = {
      idempotencyKey: idempotencyKey.current,
      senderId,
      to: to.map(stripChip),
      cc: cc.map(stripChip),
      bcc: bcc.map(stripChip),
      subject,
      html: body.current.empty ? "" : body.current.html,
      ...(sendAt ? { sendAt: sendAt.toISOString() } : {}),
    };
    setPending(true);
    cancelSave();
    try {
      if (!navigator.onLine) {
        await queue(message, "offline");
        return;
      }
      const { message: stored } = await fetchJson<{ message: MessageSummary }>("/api/messages", {
        method: "POST",
        json: message,
      });
      await (await drafts()).deleteDraft(draftId);
      setNotice({ kind: "sent", message: stored, content: message, undoUntil: undoDeadline(stored) });
      startOver();
    } catch (e) {
      if (e instanceof ApiClientError && (e.status === 0 || e.status >= 500 || e.status === 429)) {
        await queue(message, e.status === 0 ? "offline" : "server");
      } else if (e instanceof ApiClientError && e.status === 401) {
        await queue(message, "signed-out");
      } else {
        setError(e instanceof ApiClientError ? e.message : "Sending failed. Try again.");
        if (e instanceof ApiClientError) setFields(e.fields);
      }
    } finally {
      setPending(false);
    }
  }

  async function queue(message: OutgoingMessage, reason: "offline" | "server" | "signed-out") {
    await (await outbox()).queueMessage(user.id, message, draftId);
    setNotice({ kind: "queued", reason, key: message.idempotencyKey, undoUntil: Date.now() + 10_000 });
    startOver();
  }

  /** Undo send: takes the message back (from the server's hold, or from this device's outbox) into a draft. */
  async function undo(current: Notice) {
    if (current.kind === "sent") {
      try {
        await fetchJson(`/api/messages/${current.message.id}/cancel`, { method: "POST" });
      } catch (e) {
        const gone = e instanceof ApiClientError && e.status === 409;
        setNotice({
          kind: "too-late",
          text: gone
            ? "Too late to undo — it has already been sent"
            : "Could not undo. Check your connection.",
          href: `/messages/${current.message.id}`,
        });
        return;
      }
      const { idempotencyKey: _key, sendAt: _sendAt, ...content } = current.content;
      const draft: Draft = { ...content, id: crypto.randomUUID(), userId: user.id, updatedAt: Date.now() };
      await (await drafts()).saveDraft(draft, false);
      openDraft(draft);
    } else if (current.kind === "queued") {
      const id = await (await outbox()).moveToDrafts(current.key);
      const draft = id ? await (await drafts()).getDraft(user.id, id) : undefined;
      if (!draft) {
        setNotice({
          kind: "too-late",
          text: "Too late to undo — it has already left this device",
          href: "/sent",
        });
        return;
      }
      openDraft(draft);
    }
    setNotice({ kind: "undone" });
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void send();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  }

  if (senders.length === 0) {
    return (
      <InlineMessage tone="info">Add a sender in Settings before writing your first message.</InlineMessage>
    );
  }

  // Rows and text are Boxes (flex with gap, theme typography) rather than Stack and Typography: Compose's
  // first load stays small.
  // The dialogs and the notice sit beside the form, not inside it: React passes a portal's events up its own
  // tree, so a dialog inside the form would have its Enter, Ctrl+Enter and submit also taken as Send (the
  // schedule dialog's "time in the past" went out at once).
  return (
    <>
      <Box component="form" onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate aria-label="Compose email">
        <Box sx={{ display: "flex", flexDirection: "column", gap: 2, maxWidth: 900 }}>
          <Box sx={{ display: "flex", alignItems: "center", justifyContent: "space-between" }}>
            <Box component="h1" sx={{ typography: "h5", m: 0 }}>
              New message
            </Box>
            <Box sx={{ display: "flex", gap: 1 }}>
              <Button size="small" component={NextLink} href="/drafts">
                Drafts
              </Button>
              <Button size="small" onClick={startOver}>
                Clear
              </Button>
            </Box>
          </Box>
          {error && <InlineMessage tone="error">{error}</InlineMessage>}
          <FieldFrame label="From" error={fields.senderId?.[0]}>
            {({ id, helpId }) => (
              <Box
                component="select"
                id={id}
                value={senderId}
                onChange={(e: ChangeEvent<HTMLSelectElement>) => setSenderId(e.target.value)}
                aria-describedby={helpId}
                sx={{ ...bareControl, cursor: "pointer", textOverflow: "ellipsis" }}
              >
                {senders.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.fromName ? `${s.fromName} <${s.fromEmail}>` : s.fromEmail} — {s.label}
                  </option>
                ))}
              </Box>
            )}
          </FieldFrame>
          {senders.find((s) => s.id === senderId)?.signInFailed && (
            <InlineMessage tone="warning">
              Sign-in to {senders.find((s) => s.id === senderId)!.label} failed — fix the password in{" "}
              <NextLink href="/settings">Settings</NextLink>. Messages sent from it wait until then.
            </InlineMessage>
          )}
          <Box sx={{ display: "flex", gap: 1, alignItems: "flex-start" }}>
            <Box sx={{ flexGrow: 1 }}>
              <RecipientField label="To" value={to} onChange={setTo} error={fields.to?.[0]} autoFocus />
            </Box>
            {!showCopies && (
              <Button size="small" onClick={() => setShowCopies(true)}>
                Cc/Bcc
              </Button>
            )}
          </Box>
          {showCopies && (
            <>
              <RecipientField label="Cc" value={cc} onChange={setCc} error={fields.cc?.[0]} />
              <RecipientField label="Bcc" value={bcc} onChange={setBcc} error={fields.bcc?.[0]} />
            </>
          )}
          <FieldFrame label="Subject" error={fields.subject?.[0]}>
            {({ id, helpId }) => (
              <Box
                component="input"
                id={id}
                type="text"
                value={subject}
                onChange={(e: ChangeEvent<HTMLInputElement>) =>
                  setSubject(e.target.value.replace(/[\r\n]+/g, " "))
                }
                maxLength={998}
                aria-describedby={helpId}
                sx={bareControl}
              />
            )}
          </FieldFrame>
          {loaded ? (
            <RichTextEditor
              key={draftId}
              initialHtml={initialHtml}
              onChange={onBodyChange}
              onReady={setEditor}
            />
          ) : (
            <Placeholder height={360} label="Loading draft" />
          )}
          {fields.html && <InlineMessage tone="error">{fields.html[0]}</InlineMessage>}
          {loaded && <AiTools editor={editor} online={online} onSubject={setSubject} />}
          <Box sx={{ display: "flex", gap: 2, alignItems: "center" }}>
            <Button
              type="submit"
              variant="contained"
              size="large"
              endIcon={<SendOutlined />}
              disabled={pending || !loaded}
            >
              {pending ? "Sending…" : "Send"}
            </Button>
            <Button
              variant="outlined"
              size="large"
              startIcon={<ScheduleOutlined />}
              disabled={pending || !loaded}
              onClick={() => setScheduling(true)}
              aria-label="Schedule for later"
            >
              <Box component="span" sx={{ display: { xs: "none", sm: "inline" } }}>
                Schedule
              </Box>
            </Button>
            <Box
              component="span"
              sx={{ typography: "caption", color: "text.secondary", display: { xs: "none", sm: "block" } }}
              suppressHydrationWarning
            >
              {isMac() ? "⌘" : "Ctrl"}+Enter to send · drafts are saved on this device
            </Box>
            <Box
              component="label"
              sx={{ display: "flex", alignItems: "center", gap: 0.5, fontSize: 13, color: "text.secondary" }}
            >
              <input
                type="checkbox"
                checked={checkBeforeSend}
                onChange={(e) => {
                  setCheckBeforeSend(e.target.checked);
                  localStorage.setItem(PRESEND_SETTING, e.target.checked ? "on" : "off");
                }}
              />
              Check before sending
            </Box>
          </Box>
        </Box>
      </Box>
      {review && (
        <PreSendCheckDialog
          findings={review.findings}
          editor={editor}
          onEdit={() => setReview(null)}
          onSendAnyway={() => void send({ skipCheck: true, sendAt: review.sendAt })}
        />
      )}
      {scheduling && (
        <ScheduleDialog
          onCancel={() => setScheduling(false)}
          onSchedule={(at) => void send({ sendAt: at })}
        />
      )}
      {notice && (
        <SendNotice
          key={notice.kind === "sent" ? notice.message.id : notice.kind}
          text={noticeText(notice)}
          href={noticeLink(notice)}
          action={notice.kind === "queued" ? "Outbox" : notice.kind === "undone" ? undefined : "View"}
          undoUntil={notice.kind === "sent" || notice.kind === "queued" ? notice.undoUntil : undefined}
          countdown={notice.kind === "sent" && !notice.message.sendAt}
          onUndo={() => void undo(notice)}
          onClose={() => setNotice(null)}
        />
      )}
    </>
  );
}

const noSubscription = () => () => {};

function newDraft(
  userId: string,
  senderId: string,
  content: { subject?: string; html?: string } = {},
): Draft {
  return {
    id: crypto.randomUUID(),
    userId,
    senderId,
    to: [],
    cc: [],
    bcc: [],
    subject: "",
    html: "",
    updatedAt: Date.now(),
    ...content,
  };
}

function stripChip({ address, name }: RecipientChip): Recipient {
  return name ? { address, name } : { address };
}

function toChip(r: Recipient): RecipientChip {
  return {
    address: r.address,
    name: r.name,
    raw: r.name ? `${r.name} <${r.address}>` : r.address,
    valid: isValidAddress(r.address),
  };
}
