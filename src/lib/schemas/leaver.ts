import { z } from 'zod';

export const leaverTaskSchema = z.object({ taskId: z.uuid() });
