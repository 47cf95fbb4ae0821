"use client";
import Button from "@mui/material/Button";
import IconButton from "@mui/material/IconButton";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import ListItemButton from "@mui/material/ListItemButton";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import DeleteOutline from "@mui/icons-material/DeleteOutlineOutlined";
import Dexie from "dexie";
import { useLiveQuery } from "dexie-react-hooks";
import NextLink from "next/link";
import { useUser } from "@/components/layout/user-context";
import DraftSyncStatus from "@/components/drafts/draft-sync-status";
import { recipientsText } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { offlineDb } from "@/lib/offline/db";
import { deleteDraft } from "@/lib/offline/drafts";

export function DraftsList() {
  const user = useUser();
  const drafts = useLiveQuery(
    () =>
      offlineDb()
        .drafts.where("[userId+updatedAt]")
        .between([user.id, Dexie.minKey], [user.id, Dexie.maxKey])
        .reverse()
        .toArray(),
    [user.id],
  );

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between" }}>
        <div>
          <Typography variant="h5" component="h1">
            Drafts
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Saved as you type, on this device and in your account: they appear on each of your devices.
          </Typography>
        </div>
        <Button variant="contained" component={NextLink} href="/compose?new=1">
          New message
        </Button>
      </Stack>
      <DraftSyncStatus userId={user.id} />
      {drafts === undefined ? null : drafts.length === 0 ? (
        <Paper variant="outlined" sx={{ p: 4, textAlign: "center" }}>
          <Typography color="text.secondary">
            No drafts. Anything you start writing is kept here until you send it.
          </Typography>
        </Paper>
      ) : (
        <Paper variant="outlined">
          <List disablePadding aria-label="Drafts">
            {drafts.map((d) => (
              <ListItem
                key={d.id}
                disablePadding
                divider
                secondaryAction={
                  <IconButton
                    edge="end"
                    aria-label={`Delete draft ${d.subject || "(no subject)"}`}
                    onClick={() => void deleteDraft(d.id)}
                  >
                    <DeleteOutline />
                  </IconButton>
                }
              >
                <ListItemButton component={NextLink} href={`/compose?draft=${d.id}`} data-testid="draft-item">
                  <ListItemText
                    primary={d.subject || "(no subject)"}
                    secondary={
                      <>
                        {d.to.length ? `To ${recipientsText(d.to)} · ` : ""}
                        <LocalTime iso={new Date(d.updatedAt).toISOString()} />
                        {d.syncError ? ` · Not saved to your account: ${d.syncError}` : ""}
                      </>
                    }
                    slotProps={{ primary: { noWrap: true }, secondary: { noWrap: true } }}
                  />
                </ListItemButton>
              </ListItem>
            ))}
          </List>
        </Paper>
      )}
    </Stack>
  );
}
