import { Module } from '@nestjs/common';
import { AvatarsController } from './avatars.controller.js';
import { CustomersController } from './customers.controller.js';
import { CustomersModule } from './customers.module.js';
import { NotesController } from './notes.controller.js';

/** REST mirror of the customers feature: controllers over CustomersService/NotesService. */
@Module({
  imports: [CustomersModule],
  controllers: [CustomersController, NotesController, AvatarsController],
})
export class CustomersRestModule {}
