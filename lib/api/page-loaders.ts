import "server-only";
import { notFound } from "next/navigation";
import { ApiError } from "@/lib/api/errors";

/** For pages: a loader's 404 ApiError becomes Next's not-found page; anything else propagates. */
export async function loadOrNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
}
