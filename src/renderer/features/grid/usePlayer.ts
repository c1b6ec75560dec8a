import { useEffect, useState, type RefObject } from 'react';
import type { LiveStreamInfo } from '../../../shared/cameras';
import { MsePlayer, type PlayerStats } from './mse-player';
import type { PlayerReport } from './tile-state';

const STATS_MS = 1000;

export interface PlayerView {
  report: PlayerReport | null;
  stream: LiveStreamInfo | null;
  stats: PlayerStats | null;
}

/** Runs one MsePlayer for the video element while `url` is set; stops it otherwise. */
export function usePlayer(videoRef: RefObject<HTMLVideoElement | null>, observeRef: RefObject<Element | null>, url: string | null): PlayerView {
  const [report, setReport] = useState<PlayerReport | null>(null);
  const [stream, setStream] = useState<LiveStreamInfo | null>(null);
  const [stats, setStats] = useState<PlayerStats | null>(null);

  useEffect(() => {
    const video = videoRef.current;
    if (!url || !video) {
      setReport(null);
      setStats(null);
      return;
    }
    const player = new MsePlayer({
      video,
      url,
      observe: observeRef.current ?? undefined,
      onState: (state, code) => setReport({ state, code }),
      onStream: (info) => setStream(info),
    });
    const timer = setInterval(() => setStats(player.stats()), STATS_MS);
    return () => {
      clearInterval(timer);
      player.destroy();
    };
  }, [url, videoRef, observeRef]);

  return { report, stream, stats };
}
