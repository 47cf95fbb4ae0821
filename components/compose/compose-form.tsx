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
import { rememberOpenedRevision, useDraftAutosave } from "@/components/compose/use-draft-autosave";
import { InlineMessage, Placeholder } from "@/components/ui/light-feedback";
import type { TemplateFill } from "@/components/compose/template-picker";
import { bareControl, FieldFrame } from "@/components/compose/field-frame";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import { useUser } from "@/components/layout/user-context";
import { useSend } from "@/components/compose/use-send";
import { useComposeThread } from "@/components/compose/use-compose-thread";
import { isValidAddress, type RecipientChip } from "@/lib/compose/recipients";
import { noticeLink, noticeText } from "@/components/compose/send-notices";
import { useOnline } from "@/lib/offline/hooks";
import type { Finding } from "@/lib/validation/ai";
import type { Editor } from "@tiptap/react";
import type { Draft, OutgoingMessage } from "@/lib/offline/db";
import type { Recipient } from "@/lib/validation/messages";
import { useFileDrop } from "@/components/compose/attachments/use-file-drop";
import type { MessageSizeLimit } from "@/lib/attachments/size-limits";
import type { AttachmentsHandle } from "@/components/compose/attachments/attachments-handle";
import type { OutboxFile } from "@/lib/offline/attachment-files";

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
  /** Connected with Google or Microsoft: the fix for a refused sign-in is to reconnect it. */
  connected?: boolean;
  /** The largest message its provider takes (encoded): Compose refuses larger ones before sending. */
  messageSizeLimit?: MessageSizeLimit;
  /** Added below what the user writes (above a quoted original); follows the From. */
  signatureHtml?: string | null;
};

const SendNotice = dynamic(() => import("@/components/compose/send-notice"), { ssr: false });
// The AI assistant and the pre-send check load after the page: Compose's first load stays small.
const AiTools = dynamic(() => import("@/components/compose/ai-tools"), { ssr: false });
// Where drafts are (this device, your account) and any conflict: it loads after the page.
const DraftSyncStatus = dynamic(() => import("@/components/drafts/draft-sync-status"), { ssr: false });
const PreSendCheckDialog = dynamic(() => import("@/components/compose/presend-check-dialog"), { ssr: false });
const AttachmentPanel = dynamic(() => import("@/components/compose/attachments/attachment-panel"), {
  ssr: false,
});
const ScheduleDialog = dynamic(() => import("@/components/compose/schedule-dialog"), { ssr: false });
const TemplatePicker = dynamic(() => import("@/components/compose/template-picker"), { ssr: false });
// Shown only after a template was chosen, when the picker's module is already here.
const TemplateUsedNote = dynamic(
  () => import("@/components/compose/template-picker").then((m) => m.TemplateUsedNote),
  { ssr: false },
);
const ComposeExtras = dynamic(() => import("@/components/compose/compose-extras"), { ssr: false });
const ComposePreview = dynamic(() => import("@/components/compose/compose-preview"), { ssr: false });
const PRESEND_SETTING = "securevault.presendCheck";
// The on-device database (Dexie) loads after the page, so it is not part of Compose's first load.
const drafts = () => import("@/lib/offline/drafts");
const FIX_ADDRESSES = "Fix the highlighted addresses before sending.";
const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

export function ComposeForm({
  senders,
  undoSendSeconds,
  aiConfigured,
  aiReadsImages = false,
  isAdmin,
}: {
  senders: ComposeSender[];
  /** The user's undo window in seconds (their setting, else the instance default). */
  undoSendSeconds: number;
  aiConfigured: boolean;
  /** Whether the AI model is sent attached images ("Use the attached files"). */
  aiReadsImages?: boolean;
  /** Only administrators are told how to configure the server. */
  isAdmin: boolean;
}) {
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
  const [showPreview, setShowPreview] = useState(false);
  const [subject, setSubject] = useState("");
  /** The template last used, and its variables that had no default (left in the text as their tags). */
  const [fromTemplate, setFromTemplate] = useState<{ name: string; unfilled: string[] } | null>(null);
  const { thread, openThread, outgoing, quotedText, draftFields, clearThread, removeQuote } =
    useComposeThread();
  const sender = senders.find((s) => s.id === senderId);
  const body = useRef({ html: "", empty: true });
  // One key per message being written: a retried Send can never send twice.
  const idempotencyKey = useRef<string>("");
  // The pre-send check is running (sending itself is tracked by useSend).
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
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
  // The files live in the attachment panel, loaded after the page; Compose reaches them through this handle.
  const attachments = useRef<AttachmentsHandle>(null);
  const [draftFiles, setDraftFiles] = useState<{ files?: OutboxFile[]; ids?: string[] }>({});
  const fileDrop = useFileDrop((files, options) => attachments.current?.add(files, options));

  // Open the shared content, the requested draft, or the last unsent draft.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const shared = params.get("title") || params.get("text") || params.get("url");
      let draft: Draft | undefined;
      if (shared) {
        draft = newDraft(user.id, senders[0]?.id ?? "", {
          subject: params.get("title") ?? "",
          // Loaded only when something was shared: not part of the screen's first load.
          html: (await import("@/lib/compose/shared-content")).sharedContentHtml(
            params.get("text"),
            params.get("url"),
          ),
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
    rememberOpenedRevision(draft);
    setDraftId(draft.id);
    setSenderId(senders.some((s) => s.id === draft.senderId) ? draft.senderId : (senders[0]?.id ?? ""));
    setTo(draft.to.map(toChip));
    setCc(draft.cc.map(toChip));
    setBcc(draft.bcc.map(toChip));
    setShowCopies(draft.cc.length + draft.bcc.length > 0);
    setSubject(draft.subject);
    const html = openThread(draft);
    setInitialHtml(html);
    body.current = { html, empty: !html };
    setDraftFiles({ files: draft.files, ids: draft.attachmentIds });
  }

  const {
    sending,
    notice,
    send: sendMessage,
    undo,
    dismissNotice,
  } = useSend({
    userId: user.id,
    undoSendSeconds,
    onRestore: openDraft,
  });
  const pending = checking || sending;
  const allRecipients = [...to, ...cc, ...bcc];
  // "Fix the highlighted addresses" goes as soon as no address is highlighted any more.
  const shownError = error === FIX_ADDRESSES && allRecipients.every((r) => r.valid) ? null : error;

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
      // Until the panel has loaded, the draft's own files.
      files: attachments.current?.snapshot() ?? draftFiles.files,
      attachmentIds: attachments.current?.serverIds() ?? draftFiles.ids,
      ...draftFields(),
      updatedAt: Date.now(),
    };
    const empty =
      !subject &&
      to.length + cc.length + bcc.length === 0 &&
      body.current.empty &&
      !draft.files?.length &&
      !draft.attachmentIds?.length;
    return { draft, empty };
  });

  useEffect(() => {
    if (loaded) scheduleSave();
  }, [loaded, to, cc, bcc, subject, senderId, thread, scheduleSave]);

  const onBodyChange = useCallback(
    (html: string, empty: boolean) => {
      body.current = { html, empty };
      scheduleSave();
    },
    [scheduleSave],
  );

  function startOver() {
    cancelSave();
    setFromTemplate(null);
    setDraftId(crypto.randomUUID());
    setTo([]);
    setCc([]);
    setBcc([]);
    setSubject("");
    setInitialHtml("");
    clearThread();
    body.current = { html: "", empty: true };
    setDraftFiles({});
    idempotencyKey.current = "";
    if (params.toString()) router.replace("/compose?new=1");
  }

  async function send({ skipCheck = false, sendAt }: { skipCheck?: boolean; sendAt?: Date } = {}) {
    if (pending) return;
    setReview(null);
    setError(null);
    setFields({});
    if (allRecipients.length === 0) {
      setFields({ to: ["Add at least one recipient."] });
      return;
    }
    if (allRecipients.some((r) => !r.valid)) {
      setError(FIX_ADDRESSES);
      return;
    }
    // Loaded at Send, not with the page: Compose's first load is budgeted.
    const { messageSizeProblem } = await import("@/components/compose/attachments/size-check");
    const tooLarge = messageSizeProblem(
      new TextEncoder().encode(body.current.html).length,
      attachments.current?.sizes() ?? [],
      senders.find((s) => s.id === senderId)?.messageSizeLimit,
    );
    if (tooLarge) {
      setError(tooLarge);
      return;
    }
    // Template tags still in the message are shown before it can go, whatever the pre-send setting.
    const unfilled = skipCheck
      ? []
      : (await import("@/lib/compose/template-tags")).unfilledTemplateFindings(
          `${subject}\n${editor?.getText() ?? ""}`,
        );
    if (unfilled.length > 0) {
      setReview({ findings: unfilled, sendAt });
      return;
    }
    if (checkBeforeSend && !skipCheck) {
      setChecking(true);
      const { runPreSendCheck } = await import("@/lib/ai/presend-client");
      const found = await runPreSendCheck({
        subject,
        body: editor?.getText() ?? "",
        attachments:
          (attachments.current?.sizes().length ?? 0) + (attachments.current?.serverIds().length ?? 0),
        quoted: quotedText(),
      });
      setChecking(false);
      if (found.length > 0) {
        setReview({ findings: found, sendAt });
        return;
      }
    }
    setScheduling(false);
    idempotencyKey.current ||= crypto.randomUUID();
    // Uploads under way finish first; files that could not upload (offline) go with the message.
    const files = (await attachments.current?.settle()) ?? draftFiles.files ?? [];
    const serverIds = attachments.current?.serverIds() ?? draftFiles.ids ?? [];
    // What the user wrote, the sender's signature and any quoted original, with the thread's headers.
    const composed = outgoing(body.current.empty ? "" : body.current.html, sender?.signatureHtml);
    const { htmlWithInlineImages } = await import("@/lib/offline/attachment-files");
    const message: OutgoingMessage = {
      idempotencyKey: idempotencyKey.current,
      senderId,
      to: to.map(stripChip),
      cc: cc.map(stripChip),
      bcc: bcc.map(stripChip),
      subject,
      ...composed,
      html: htmlWithInlineImages(composed.html, files),
      ...(sendAt ? { sendAt: sendAt.toISOString() } : {}),
      ...(files.length ? { files } : {}),
      ...(serverIds.length ? { attachmentIds: serverIds } : {}),
    };
    cancelSave();
    const result = await sendMessage(message, draftId);
    if (result.outcome === "refused") {
      setError(result.message);
      setFields(result.fields);
    } else {
      startOver();
    }
  }

  function applyTemplate(fill: TemplateFill, name: string) {
    const written = subject.trim() || !body.current.empty;
    if (written && !window.confirm(`Replace the subject and message with the template “${name}”?`)) return;
    setSubject(fill.subject);
    editor?.commands.setContent(fill.html);
    setFromTemplate({ name, unfilled: fill.unfilled });
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
      <Box
        component="form"
        onSubmit={onSubmit}
        onKeyDown={onKeyDown}
        noValidate
        aria-label="Compose email"
        {...fileDrop.handlers}
        data-dragging={fileDrop.dragging || undefined}
        sx={{
          outline: fileDrop.dragging ? "2px dashed" : "none",
          outlineColor: "primary.main",
          outlineOffset: 4,
        }}
      >
        {/* Disabled until the draft is open (a few milliseconds from IndexedDB): what was typed before —
            even before the page was interactive — was put back by hydration or by the draft opening. */}
        <Box
          component="fieldset"
          disabled={!loaded}
          aria-busy={!loaded}
          sx={{
            display: "flex",
            flexDirection: "column",
            gap: 2,
            maxWidth: 900,
            border: 0,
            p: 0,
            m: 0,
            minWidth: 0,
          }}
        >
          <Box
            sx={{
              display: "flex",
              flexWrap: "wrap",
              alignItems: "center",
              justifyContent: "space-between",
              gap: 1,
            }}
          >
            <Box component="h1" sx={{ typography: "h5", m: 0 }}>
              {thread.forwardOf ? "Forward" : thread.inReplyTo ? "Reply" : "New message"}
            </Box>
            <Box sx={{ display: "flex", gap: 1 }}>
              <Button
                size="small"
                onClick={() => setShowPreview((shown) => !shown)}
                aria-expanded={showPreview}
                aria-controls="compose-preview"
                sx={phoneTouchTarget}
              >
                {showPreview ? "Hide preview" : "Preview"}
              </Button>
              <Button size="small" component={NextLink} href="/drafts" sx={phoneTouchTarget}>
                Drafts
              </Button>
              <Button size="small" onClick={startOver} sx={phoneTouchTarget}>
                Clear
              </Button>
            </Box>
          </Box>
          {shownError && <InlineMessage tone="error">{shownError}</InlineMessage>}
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
              Sign-in to {senders.find((s) => s.id === senderId)!.label} failed —{" "}
              {senders.find((s) => s.id === senderId)!.connected ? "reconnect it in" : "fix the password in"}{" "}
              <NextLink href="/settings">Settings</NextLink>. Messages sent from it wait until then.
            </InlineMessage>
          )}
          <Box sx={{ display: "flex", gap: 1, alignItems: "flex-start" }}>
            {/* minWidth 0: a long address chip shrinks with the field instead of widening the page. */}
            <Box sx={{ flexGrow: 1, minWidth: 0 }}>
              <RecipientField
                label="To"
                value={to}
                onChange={setTo}
                error={fields.to?.[0]}
                autoFocus={loaded}
              />
            </Box>
            {!showCopies && (
              <Button
                size="small"
                onClick={() => setShowCopies(true)}
                sx={{ ...phoneTouchTarget, flexShrink: 0 }}
              >
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
          {loaded && (
            <Box sx={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 1 }}>
              <TemplatePicker onChoose={applyTemplate} disabled={!editor} />
              {fromTemplate && <TemplateUsedNote {...fromTemplate} />}
            </Box>
          )}
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
          {loaded && (
            <AttachmentPanel
              // Its own key: the editor beside it is keyed by the draft id already.
              key={`files-${draftId}`}
              handle={attachments}
              initialFiles={draftFiles.files}
              initialServerIds={draftFiles.ids}
              onChange={scheduleSave}
              limit={senders.find((s) => s.id === senderId)?.messageSizeLimit}
            />
          )}
          {fields.attachmentIds && <InlineMessage tone="error">{fields.attachmentIds[0]}</InlineMessage>}
          {loaded && sender && (
            <ComposeExtras
              signatureHtml={sender.signatureHtml ?? null}
              senderLabel={sender.label}
              quoteHtml={thread.quoteHtml}
              onRemoveQuote={removeQuote}
            />
          )}
          {loaded && showPreview && (
            <ComposePreview
              editor={editor}
              subject={subject}
              signatureHtml={sender?.signatureHtml ?? null}
              quoteHtml={thread.quoteHtml}
              online={online}
            />
          )}
          {/* In the server's HTML: shown late, this line was the screen's largest paint (LCP 5.7 s on a phone). */}
          {!aiConfigured && (
            <Box
              component="span"
              sx={{ typography: "caption", color: "text.secondary" }}
              data-testid="ai-unavailable"
            >
              {isAdmin
                ? "AI is not configured: set OPENAI_API_KEY on the server (see the README)."
                : "The AI assistant is not available on this server."}
            </Box>
          )}
          {loaded && (
            <AiTools
              editor={editor}
              online={online}
              configured={aiConfigured}
              onSubject={setSubject}
              getQuoted={quotedText}
              readsImages={aiReadsImages}
              getAttachmentIds={() => [
                ...(attachments.current?.snapshot() ?? draftFiles.files ?? [])
                  .filter((f) => f.attachmentId && !f.inline)
                  .map((f) => f.attachmentId!),
                ...(attachments.current?.serverIds() ?? draftFiles.ids ?? []),
              ]}
            />
          )}
          <Box sx={{ display: "flex", flexWrap: "wrap", columnGap: 2, rowGap: 1, alignItems: "center" }}>
            <Button
              type="submit"
              variant="contained"
              size="large"
              endIcon={<SendOutlined />}
              disabled={pending || !loaded}
              sx={phoneTouchTarget}
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
              sx={phoneTouchTarget}
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
              {isMac() ? "⌘" : "Ctrl"}+Enter to send
            </Box>
            <Box
              component="label"
              sx={{
                ...phoneTouchTarget,
                display: "flex",
                alignItems: "center",
                gap: 0.5,
                fontSize: 13,
                color: "text.secondary",
                cursor: "pointer",
                // A 24 px box on phones (13 px by default); the whole 44 px label row toggles it.
                "& input": { width: { xs: 24, sm: "auto" }, height: { xs: 24, sm: "auto" }, m: 0 },
              }}
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
          <DraftSyncStatus userId={user.id} />
        </Box>
      </Box>
      {review && (
        <PreSendCheckDialog
          findings={review.findings}
          editor={editor}
          onEdit={() => setReview(null)}
          onAttach={() => {
            setReview(null);
            attachments.current?.pick();
          }}
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
          onClose={dismissNotice}
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
