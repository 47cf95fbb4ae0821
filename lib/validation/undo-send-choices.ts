// The undo windows Settings offers, in seconds. A module of its own, without zod, so the Settings screen can
// show them without loading the validation library on its first load.
export const UNDO_SEND_CHOICES = [0, 5, 10, 20, 30] as const;
