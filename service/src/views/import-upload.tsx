import { MAX_WEB_ROWS } from "../csv/preview.ts";
import type { Profile } from "../data/import-profiles.ts";
import { describeBytes, UPLOAD_LIMITS } from "../upload-limits.ts";

const MAX_FILE = describeBytes(UPLOAD_LIMITS["/imports/upload"] ?? 0);

/** Options for a profile select: none first. */
export function ProfileOptions({ profiles }: { profiles: Profile[] }) {
  return (
    <>
      <option value="">No profile: guess the settings</option>
      {profiles.map((p) => (
        <option value={String(p.id)}>{p.name}</option>
      ))}
    </>
  );
}

export function UploadForm(p: { profiles: Profile[]; csrf: string; error?: string }) {
  return (
    <>
      <h1 class="h3 mb-3">Import a CSV statement</h1>
      {p.error ? (
        <div class="alert alert-danger" role="alert">
          {p.error}
        </div>
      ) : null}
      <p class="text-body-secondary">
        Up to {MAX_FILE} and {MAX_WEB_ROWS.toLocaleString("en-US")} rows. The next page shows the
        rows as they would be stored, with the settings it guessed; nothing is stored until you
        confirm there.
      </p>
      <form
        method="post"
        action="/imports/upload"
        enctype="multipart/form-data"
        class="vstack gap-3 col-lg-6"
      >
        <input type="hidden" name="_csrf" value={p.csrf} />
        <div>
          <label class="form-label" for="import-file">
            CSV file
          </label>
          <input
            class="form-control"
            type="file"
            id="import-file"
            name="file"
            accept=".csv,.txt,text/csv"
            required
          />
        </div>
        <div>
          <label class="form-label" for="import-profile">
            Settings
          </label>
          <select class="form-select" id="import-profile" name="profileId">
            <ProfileOptions profiles={p.profiles} />
          </select>
        </div>
        <div>
          <button class="btn btn-primary" type="submit">
            Upload and preview
          </button>{" "}
          <a class="btn btn-link" href="/imports">
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}
