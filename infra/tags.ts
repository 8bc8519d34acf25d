import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./config.ts";

/** The tags every taggable resource carries: project, stack, and a Name. */
export function tags(name: string): Record<string, string> {
  return { Project: PROJECT, Stack: pulumi.getStack(), Name: name };
}
