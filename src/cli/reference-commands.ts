import type { Command } from "commander";
import { CHOICES, FAULTS, startReferenceServer, UnknownFaultError } from "../reference/index.js";
import { UserError } from "../util/exit-codes.js";
import { ids, number } from "./option-parsers.js";
import { stoppable } from "./stop-signals.js";

interface ServeOptions {
  port: number;
  host: string;
  seed: number;
  tickets: number;
  fault?: string[];
  choice?: string[];
  apiKeyEnv: string;
}

export function registerReferenceCommands(program: Command): void {
  program
    .command("serve")
    .description("start the embedded reference server of the Tickets API (loopback by default)")
    .option("--port <n>", "port to listen on; 0 picks a free one", number("--port", 0, 65535), 8080)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option(
      "--seed <n>",
      "seed of the generated data: same seed, same data",
      number("--seed", 0, 2 ** 31 - 1),
      1,
    )
    .option("--tickets <n>", "number of seeded tickets", number("--tickets", 0, 5_000_000), 10_000)
    .option("--fault <name>", "switch on a fault of the catalog (repeat, or comma-separate)", ids)
    .option(
      "--choice <name>",
      "take the other side of a choice the profile leaves open (repeat, or comma-separate)",
      ids,
    )
    .option(
      "--api-key-env <var>",
      "env var holding the accepted API key (unset: the development key)",
      "TICKETS_API_KEY",
    )
    .action(async (options: ServeOptions) => {
      const server = await startReferenceServer({
        port: options.port,
        host: options.host,
        seed: options.seed,
        tickets: options.tickets,
        faults: options.fault ?? [],
        choices: options.choice ?? [],
        apiKeyEnv: options.apiKeyEnv,
      }).catch((error: unknown) => {
        if (error instanceof UnknownFaultError) throw new UserError(error.message);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
          throw new UserError(`cannot listen on ${options.host}:${options.port}: ${code}`);
        }
        throw error;
      });
      // The stop handler goes in before the line is printed: a supervisor may signal at once.
      let closed: () => void = () => {};
      const stopped = new Promise<void>((resolve) => {
        closed = resolve;
      });
      const serving = stoppable(
        () => void server.close().then(closed),
        () => stopped,
      );
      console.log(`listening on ${server.url}`);
      await serving;
    });

  program
    .command("faults")
    .description("list the reference server's fault catalog: NAME<TAB>rule<TAB>description")
    .action(() => {
      for (const fault of FAULTS) console.log(`${fault.name}\t${fault.rule}\t${fault.description}`);
    });

  program
    .command("choices")
    .description(
      "list the other sides of the choices the profile leaves open: NAME<TAB>why it is open<TAB>description",
    )
    .action(() => {
      for (const choice of CHOICES) {
        console.log(`${choice.name}\t${choice.open}\t${choice.description}`);
      }
    });
}
