import { Module } from '@nestjs/common';
import { ResponseReplay } from './response-replay.js';

/** Replays repeated cached reads from their bytes (hooks installed at init, see ResponseReplay). */
@Module({ providers: [ResponseReplay], exports: [ResponseReplay] })
export class ResponseReplayModule {}
