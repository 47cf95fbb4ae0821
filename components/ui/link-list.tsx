"use client";
import Button from "@mui/material/Button";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import ListItemButton from "@mui/material/ListItemButton";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import type { ReactNode } from "react";
import { Placeholder } from "@/components/ui/light-feedback";

type Props<T> = {
  /** null while loading: placeholder rows show instead. */
  items: T[] | null;
  label: string;
  testId: string;
  href: (item: T) => string;
  primary: (item: T) => string;
  secondary: (item: T) => ReactNode;
  trailing?: (item: T) => ReactNode;
  /** Rows that need the user get a coloured bar on their leading edge besides their status chip. */
  attention?: (item: T) => "error" | "warning" | undefined;
  emptyText: string;
  /** Offer "Write a message" in the empty state. */
  emptyAction?: boolean;
};

/** A list of links to items with loading skeletons and an empty state: Sent and Mailbox share it. */
export function LinkList<T extends { id: string }>(props: Props<T>) {
  const { items, label, testId, href, primary, secondary, trailing, attention, emptyText, emptyAction } =
    props;
  if (items === null) {
    return (
      <Stack spacing={1} aria-label={`Loading ${label.toLowerCase()}`}>
        {/* The light stand-in for MUI's Skeleton: the same rows, without its module on the first load. */}
        {[0, 1, 2].map((i) => (
          <Placeholder key={i} height={64} />
        ))}
      </Stack>
    );
  }
  if (items.length === 0) {
    return (
      <Paper variant="outlined" sx={{ p: 4, textAlign: "center" }}>
        <Typography color="text.secondary">{emptyText}</Typography>
        {emptyAction && (
          <Button component={NextLink} href="/compose" sx={{ mt: 1 }}>
            Write a message
          </Button>
        )}
      </Paper>
    );
  }
  return (
    <Paper variant="outlined">
      <List disablePadding aria-label={label}>
        {items.map((item) => {
          const marker = attention?.(item);
          return (
            <ListItem key={item.id} disablePadding divider>
              <ListItemButton
                component={NextLink}
                href={href(item)}
                data-testid={testId}
                data-attention={marker}
                sx={{
                  minHeight: 56,
                  borderLeft: 4,
                  borderLeftColor: marker ? `${marker}.main` : "transparent",
                }}
              >
                <ListItemText
                  primary={primary(item)}
                  secondary={secondary(item)}
                  slotProps={{ primary: { noWrap: true }, secondary: { noWrap: true } }}
                  sx={{ mr: trailing ? 2 : 0, minWidth: 0 }}
                />
                {trailing?.(item)}
              </ListItemButton>
            </ListItem>
          );
        })}
      </List>
    </Paper>
  );
}
