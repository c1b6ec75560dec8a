import { useState, type DragEvent } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { ApiClient } from '../../api/client';
import { layoutColumns, pageSlice, type Layout } from './layout';
import { DRAG_TYPE, Tile, type TileDetection } from './Tile';

export interface GridProps {
  client: ApiClient;
  /** Every camera, in display order. */
  cameras: CameraView[];
  layout: Layout;
  page: number;
  onOpen(id: string): void;
  /** Tile `fromId` dropped on tile `toId`. */
  onSwap(fromId: string, toId: string): void;
  /** Tile `id` dropped on the empty cell at absolute position `index`. */
  onMoveTo(id: string, index: number): void;
  detection?: TileDetection;
}

export function Grid({ client, cameras, layout, page, onOpen, onSwap, onMoveTo, detection }: GridProps) {
  const slice = pageSlice(cameras, layout, page);
  const firstIndex = slice.page * layout;
  return (
    <div className="grid" data-testid="grid" data-layout={layout} data-cols={layoutColumns(layout)} data-page={slice.page}>
      {slice.items.map((camera) => (
        <Tile
          key={camera.id}
          camera={camera}
          role="sub"
          client={client}
          onOpen={() => onOpen(camera.id)}
          onDropCamera={(from) => onSwap(from, camera.id)}
          detection={detection}
        />
      ))}
      {Array.from({ length: slice.empty }, (_, i) => (
        <EmptyCell key={`empty-${i}`} onDropCamera={(id) => onMoveTo(id, firstIndex + slice.items.length + i)} />
      ))}
    </div>
  );
}

function EmptyCell({ onDropCamera }: { onDropCamera(id: string): void }) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={`tile tile-empty${over ? ' drop-target' : ''}`}
      data-testid="empty-tile"
      onDragOver={(e: DragEvent) => {
        if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e: DragEvent) => {
        setOver(false);
        const id = e.dataTransfer.getData(DRAG_TYPE);
        if (!id) return;
        e.preventDefault();
        onDropCamera(id);
      }}
    />
  );
}

export function SingleView({ client, camera, onClose, detection }: { client: ApiClient; camera: CameraView; onClose(): void; detection?: TileDetection }) {
  return (
    <div className="single-view" data-testid="single-view" data-camera-id={camera.id}>
      <Tile camera={camera} role="main" client={client} onOpen={onClose} detection={detection} />
      <button type="button" className="single-back" data-testid="single-view-back" onClick={onClose} title="Back to the grid (Esc)">
        ← Grid
      </button>
    </div>
  );
}
