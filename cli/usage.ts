export const USAGE = `Usage: pettracker <command> [options]

Commands:
  predict <image...>          Verdict, species and top breeds of each image, as a table; the
                              errors under it (exit 1 if any image failed)
      --api <url>             ask a running API (e.g. http://localhost:8080) instead of a local model
      --model <uri>           local model: a folder, s3://, https:// or "mobilenet" (default: MODEL_URI)
      --top <n>               breeds per image, 1-10 (default 3)
      --json                  one JSON object per image instead of the table
  migrate                     apply migrations/ to the configured database (STORE, DATABASE_URL, ...)
  token <user> [expires-in]   a dev token for the embedded default's identity (e.g. 30m, 1d; default
                              12h; more than 0 and at most JWT_MAX_LIFETIME_SECONDS, default 24h)
  model fetch <mobilenet|uri> download a model into the model cache (MODEL_CACHE_DIR, default .data/models)
      --from <url>            the preset's model.json from a mirror instead of Google's storage
      --max-mb <n>            fail when the model is larger (e.g. 250, Lambda's unzipped limit)
  train <folder>              train a breed model on the photos of a folder (sub-folders, Oxford
                              names Breed_Name_1.jpg, or a CSV file,breed[,species]) into --out
      --out <dir>             the model folder to write (default models/trained)
      --base <dir>            backbone layers model (default ../shared/testdata/models/mobilenet_v1_0.75_224)
      --csv <file>            labels from this CSV; --label-map <csv> labels -> backbone classes
      --not-pets <dir>        photos of other things: every other one tunes the not-a-pet threshold
      --fine-tune <epochs>    also fine-tune the backbone's last pointwise convolution (default 0: head only)
      --epochs, --seed, --validation, --views, --quantize auto|always|never, --backend, --json
  eval <folder>               accuracy, species, calibration and latency on labelled photos:
                              writes eval.json and eval.html (plots). Labels: a labels.csv or
                              manifest.csv in the folder, else sub-folders, else Oxford-style
                              names (Breed_Name_12.jpg; capitalised = cat)
      --model <uri>           a folder, s3://, https:// or "mobilenet" (default: MODEL_URI)
      --out <dir>             where to write the report (default ./eval-report)
      --labels <csv>          a CSV with file and breed columns (species, model_label optional)
      --label-map <file>      JSON or CSV from true breeds to the model's labels
      --not-pets <folder>     photos of other things: how many get a breed anyway
      --variants              also each photo downscaled to 96 px, greyscale and as JPEG
                              quality 20: how much accuracy each costs
  help                        this text

Configuration comes from the same environment variables as the server (see the README).`;

/** A mistake in the command line: the message, then the usage, and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
