// Desktop only: "Save…" of a finished evidence export. The operator picks a folder (a USB
// stick, an evidence share) and the export's folder is copied into it, then checked there
// exactly as a recipient would check it, so a bad stick is found now rather than in court.
// The browser path downloads the same folder as a ZIP instead (api/export-routes.ts).
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { existsSync } from 'node:fs';
import { cp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../engine/engine';
import { archiveFileName } from '../engine/evidence/export-folders';
import { verifyExport } from '../engine/evidence/verify-export';

export const SAVE_EXPORT_CHANNEL = 'vigil:export:save';

/** `checkSender` throws unless the call comes from the engine's own page (as for every handler). */
export function registerExportSave(engine: () => Engine | null, checkSender: (event: IpcMainInvokeEvent) => void): void {
  ipcMain.handle(SAVE_EXPORT_CHANNEL, async (event, jobId: unknown): Promise<{ path: string } | null> => {
    checkSender(event);
    const running = engine();
    if (!running) throw new Error('Vigil is stopping.');
    if (typeof jobId !== 'string') throw new Error('invalid export id');
    // EXPORT_NOT_FINISHED or RESOURCE_NOT_FOUND, with the engine's own sentence.
    const { job, folder } = running.exports.finishedFolder(jobId);
    const window = BrowserWindow.fromWebContents(event.sender);
    const options: Electron.OpenDialogOptions = { title: 'Save the evidence export into…', buttonLabel: 'Save here', properties: ['openDirectory', 'createDirectory'] };
    const choice = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    const parent = choice.filePaths[0];
    if (choice.canceled || !parent) return null;

    const target = join(parent, archiveFileName(job).replace(/\.zip$/, ''));
    if (existsSync(target)) throw new Error(`${target} already exists; an export is never copied over another.`);
    // Copied under a temporary name and renamed when complete: a stick pulled out mid-copy
    // leaves no folder under the final name that looks like a finished export.
    const partial = `${target}.partial`;
    try {
      await rm(partial, { recursive: true, force: true });
      await cp(folder, partial, { recursive: true, errorOnExist: true, force: false });
      const check = await verifyExport(partial);
      if (!check.ok) throw new Error(`the copy does not verify: ${check.problems.map((p) => p.message).join(' ')}`);
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { recursive: true, force: true }).catch(() => undefined);
      throw new Error(`Could not save the export to ${parent}: ${(error as Error).message}`);
    }
    return { path: target };
  });
}
