// The "non-standard device/mountpoint" part of the config dialogue, as rclone runs it: list the account's devices,
// pick or create one, then pick or create a mountpoint (never a new one on the built-in Jotta device).

import { invalidArgument, logDebug, type ConfigPrompter, type Logger } from '@jsync/core';
import { DEFAULT_DEVICE, DEFAULT_MOUNTPOINT } from '../options.js';

/** The account calls the dialogue needs (JFS `<user>`/`<device>` documents, device and mountpoint creation). */
export interface AccountApi {
  /** The internal username (`account/v1/customer`). */
  username(): Promise<string>;
  /** Device names of the account (`GET jfs/<user>`). */
  devices(user: string): Promise<string[]>;
  /** Mountpoint names of a device (`GET jfs/<user>/<device>`). */
  mountpoints(user: string, device: string): Promise<string[]>;
  /** `POST jfs/<user>/<device>?type=WORKSTATION`. */
  createDevice(user: string, device: string): Promise<void>;
  /** `POST jfs/<user>/<device>/<mountpoint>`. */
  createMountpoint(user: string, device: string, mountpoint: string): Promise<void>;
}

/** rclone's question (`config_non_standard`). */
export const NON_STANDARD_HELP = `Use a non-standard device/mountpoint?
Choosing no, the default, will let you access the storage used for the archive
section of the official Jottacloud client. If you instead want to access the
sync or the backup section, for example, you must choose yes.`;

const deviceHelp = `The device to use. In standard setup the built-in ${DEFAULT_DEVICE} device is used,
which contains predefined mountpoints for archive, sync etc. All other devices
are treated as backup devices by the official Jottacloud client. You may create
a new by entering a unique name.`;

const jottaMountpointHelp = `The mountpoint to use on the built-in device ${DEFAULT_DEVICE}.
The standard setup is to use the ${DEFAULT_MOUNTPOINT} mountpoint. Most other mountpoints
have very limited support in jsync and should generally be avoided.`;

const otherMountpointHelp = (device: string): string => `The mountpoint to use on the non-standard device ${device}.
You may create a new by entering a unique name.`;

/** Where the answers come from: the prompter, else the `config_*` values (non-interactive). */
export interface DeviceChoiceArgs {
  api: AccountApi;
  prompter?: ConfigPrompter;
  values: Readonly<Record<string, string>>;
  logger: Logger;
}

const findCI = (names: readonly string[], want: string): string | undefined => {
  const w = want.toLowerCase();
  return names.find((n) => n.toLowerCase() === w);
};

/** Runs the device and mountpoint choice; returns the `device` and `mountpoint` keys to store. */
export async function chooseDeviceAndMountpoint(args: DeviceChoiceArgs): Promise<{ device: string; mountpoint: string }> {
  const { api, prompter, values, logger } = args;
  const user = await api.username();
  const listed = await api.devices(user);
  // The built-in device first: it is the default choice.
  const devices = [...listed.filter((d) => d === DEFAULT_DEVICE), ...listed.filter((d) => d !== DEFAULT_DEVICE)];
  let answer: string;
  if (prompter) {
    answer = await prompter.ask({ name: 'config_device', help: deviceHelp, default: devices[0] ?? DEFAULT_DEVICE, examples: devices.map((d) => ({ value: d, help: '' })) });
  } else {
    answer = values.config_device ?? devices[0] ?? DEFAULT_DEVICE;
  }
  answer = answer.trim();
  if (answer === '') throw invalidArgument('config_device: the device name must not be empty');
  const existing = findCI(devices, answer);
  const device = existing ?? answer;
  if (!existing) {
    logDebug(logger, undefined, `Creating new device: ${device}`);
    await api.createDevice(user, device);
  }
  const mps = existing ? await api.mountpoints(user, device) : [];
  let mpAnswer: string;
  const isJotta = device === DEFAULT_DEVICE;
  const mpDefault = isJotta && mps.includes(DEFAULT_MOUNTPOINT) ? DEFAULT_MOUNTPOINT : mps[0];
  if (prompter) {
    mpAnswer = await prompter.ask({
      name: 'config_mountpoint',
      help: isJotta ? jottaMountpointHelp : otherMountpointHelp(device),
      default: mpDefault,
      examples: mps.map((m) => ({ value: m, help: '' })),
      exclusive: isJotta,
    });
  } else {
    const v = values.config_mountpoint ?? mpDefault;
    if (v === undefined) throw invalidArgument(`config_mountpoint: device ${JSON.stringify(device)} has no mountpoints yet - name one to create with config_mountpoint=<name>`);
    mpAnswer = v;
  }
  mpAnswer = mpAnswer.trim();
  if (mpAnswer === '') throw invalidArgument('config_mountpoint: the mountpoint name must not be empty');
  const existingMp = findCI(mps, mpAnswer);
  if (!existingMp) {
    if (isJotta) throw invalidArgument(`custom mountpoints not supported on built-in ${DEFAULT_DEVICE} device`);
    logDebug(logger, undefined, `Creating new mountpoint: ${mpAnswer}`);
    await api.createMountpoint(user, device, mpAnswer);
  }
  return { device, mountpoint: existingMp ?? mpAnswer };
}
