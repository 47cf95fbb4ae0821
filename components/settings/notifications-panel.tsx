"use client";
import NotificationsActiveOutlined from "@mui/icons-material/NotificationsActiveOutlined";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import FormControlLabel from "@mui/material/FormControlLabel";
import FormGroup from "@mui/material/FormGroup";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Switch from "@mui/material/Switch";
import Typography from "@mui/material/Typography";
import { useEffect, useState, useSyncExternalStore } from "react";
import { formatDateTime } from "@/components/ui/format";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import {
  currentPushSubscription,
  pushAvailability,
  subscribeThisBrowser,
  type PushAvailability,
} from "@/lib/push/browser-push";
import type { PushDeviceView } from "@/lib/push/subscriptions";
import type { PushPreferences } from "@/lib/validation/push";
import { subscribeToNothing } from "@/components/ui/use-hydrated";

type PreferencesResponse = { preferences: PushPreferences; retryNotifyAfter: number };

const unavailableText: Record<Exclude<PushAvailability, "available">, string> = {
  unsupported: "This browser cannot receive push notifications. Try Chrome, Edge, Firefox or Safari.",
  insecure: "Notifications need a secure (https) address for SecureVault.",
  "ios-install":
    "On iPhone and iPad, notifications work in the app on your Home Screen: tap Share, then Add to Home Screen, and open SecureVault from there.",
  denied:
    "Notifications are blocked for this site. Allow them in your browser's site settings (the icon beside the address), then reload.",
};

/** Delivery notifications: turn them on for this device, see and remove devices, choose which outcomes notify. */
export function NotificationsPanel() {
  // Known only in the browser; null while rendering on the server.
  const detected = useSyncExternalStore(subscribeToNothing, pushAvailability, () => null);
  const [deniedNow, setDeniedNow] = useState(false);
  const availability: PushAvailability | null = deniedNow ? "denied" : detected;
  const [devices, setDevices] = useState<PushDeviceView[]>([]);
  const [thisDeviceId, setThisDeviceId] = useState<string | null>(null);
  const [prefs, setPrefs] = useState<PreferencesResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      try {
        const [list, preferences] = await Promise.all([
          fetchJson<{ devices: PushDeviceView[] }>("/api/push/subscriptions"),
          fetchJson<PreferencesResponse>("/api/push/preferences"),
        ]);
        setPrefs(preferences);
        // Already subscribed here: save it again (keys may have changed, or it was removed elsewhere).
        const existing = await currentPushSubscription();
        if (existing) {
          const { device } = await saveSubscription(existing);
          setThisDeviceId(device.id);
          setDevices([...list.devices.filter((d) => d.id !== device.id), device]);
        } else {
          setDevices(list.devices);
        }
      } catch (e) {
        setError(messageOf(e, "Could not load notification settings."));
      }
    })();
  }, []);

  async function enable() {
    setBusy(true);
    setError(null);
    try {
      // Asked first, straight from the tap: browsers only show the prompt for a user gesture.
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        setDeniedNow(permission === "denied");
        if (permission !== "denied")
          setError("Allow notifications when your browser asks, to get them here.");
        return;
      }
      const { publicKey } = await fetchJson<{ publicKey: string }>("/api/push/public-key");
      const subscription = await subscribeThisBrowser(publicKey);
      const { device } = await saveSubscription(subscription);
      setThisDeviceId(device.id);
      setDevices((list) => [...list.filter((d) => d.id !== device.id), device]);
    } catch (e) {
      setError(messageOf(e, "This browser could not subscribe to notifications."));
    } finally {
      setBusy(false);
    }
  }

  async function remove(device: PushDeviceView) {
    setError(null);
    try {
      await fetchJson(`/api/push/subscriptions/${device.id}`, { method: "DELETE" });
      setDevices((list) => list.filter((d) => d.id !== device.id));
      if (device.id === thisDeviceId) {
        setThisDeviceId(null);
        await (await currentPushSubscription())?.unsubscribe();
      }
    } catch (e) {
      setError(messageOf(e, "Could not remove the device."));
    }
  }

  async function toggle(key: keyof PushPreferences, value: boolean) {
    setError(null);
    try {
      setPrefs(
        await fetchJson<PreferencesResponse>("/api/push/preferences", {
          method: "PATCH",
          json: { [key]: value },
        }),
      );
    } catch (e) {
      setError(messageOf(e, "Could not save your choice."));
    }
  }

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }} data-testid="notifications-panel">
      <Typography variant="h6" component="h2">
        Notifications
      </Typography>
      <Typography variant="body2" color="text.secondary">
        Learn what happened to a message without keeping SecureVault open — “Delivered to alice@example.com”
        or “Not delivered: mailbox does not exist”. Tap the notification to open the message.
      </Typography>
      {availability && availability !== "available" && (
        <Alert severity="info">{unavailableText[availability]}</Alert>
      )}
      {error && (
        <Alert severity="error" onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {thisDeviceId ? (
        <Alert severity="success">This device gets delivery notifications.</Alert>
      ) : (
        availability === "available" && (
          <div>
            <Button
              variant="contained"
              startIcon={<NotificationsActiveOutlined />}
              onClick={enable}
              disabled={busy}
            >
              {busy ? "Turning on…" : "Notify me on this device"}
            </Button>
          </div>
        )
      )}

      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="subtitle2" component="h3">
          Devices
        </Typography>
        {devices.length === 0 ? (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            No device gets notifications yet.
          </Typography>
        ) : (
          <Stack component="ul" spacing={1} sx={{ listStyle: "none", p: 0, m: 0, mt: 1 }}>
            {devices.map((d) => (
              <Stack
                component="li"
                key={d.id}
                direction="row"
                spacing={1}
                useFlexGap
                sx={{ alignItems: "center", flexWrap: "wrap" }}
                data-testid="push-device"
              >
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {d.label}
                </Typography>
                {d.id === thisDeviceId && <Chip size="small" label="This device" color="primary" />}
                <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
                  Added {formatDateTime(d.createdAt)}
                </Typography>
                <Button size="small" color="error" onClick={() => remove(d)} aria-label={`Remove ${d.label}`}>
                  Remove
                </Button>
              </Stack>
            ))}
          </Stack>
        )}
      </Paper>

      {prefs && (
        <FormGroup>
          <Typography variant="subtitle2" component="h3">
            Notify me when a message
          </Typography>
          <FormControlLabel
            control={
              <Switch checked={prefs.preferences.delivered} onChange={(_, v) => toggle("delivered", v)} />
            }
            label="is delivered"
          />
          <FormControlLabel
            control={<Switch checked={prefs.preferences.failed} onChange={(_, v) => toggle("failed", v)} />}
            label="cannot be delivered"
          />
          <FormControlLabel
            control={
              <Switch checked={prefs.preferences.retrying} onChange={(_, v) => toggle("retrying", v)} />
            }
            label={`is still being retried (after ${prefs.retryNotifyAfter} failed attempts)`}
          />
        </FormGroup>
      )}
    </Stack>
  );
}

function saveSubscription(subscription: PushSubscription) {
  return fetchJson<{ device: PushDeviceView }>("/api/push/subscriptions", {
    method: "POST",
    json: subscription.toJSON(),
  });
}

function messageOf(error: unknown, fallback: string): string {
  return error instanceof ApiClientError || error instanceof Error ? error.message : fallback;
}
