// CfaProgram.cs -- runs an FDE's call-frame instructions up to a PC and applies the resulting row: where the
// caller's frame starts (the CFA) and where each register the callee saved can be found.
//
// Instructions (DWARF 4 section 6.4.2): the advance_loc family moves the row's location; def_cfa* set the CFA as
// register + offset; offset/val_offset/register/same_value/undefined/restore set one register's rule; remember/
// restore_state push and pop the whole row. ILC emits advance_loc, def_cfa, def_cfa_offset, def_cfa_register
// and offset; the rest is here because hand-written CFI uses it. DWARF expressions are refused.
namespace Internal.Runtime.Unwinding
{
    internal unsafe struct CfaProgram
    {
        private enum Rule : byte
        {
            SameValue,          // the caller's value is the current value (the default for every register)
            Undefined,
            Offset,             // saved at CFA + n
            ValueOffset,        // the value is CFA + n
            InRegister,         // saved in another register
        }

        // Offsets are small (a frame's size), so 32 bits hold them: a smaller row is less to clear and copy per step.
        private struct Row
        {
            public int CfaRegister;
            public int CfaOffset;
            public fixed byte Rules[RegisterContext.Count];
            public fixed int Operands[RegisterContext.Count];
        }

        private const int MaxRememberedRows = 2;
        private const int RowSlotBytes = 104;      // >= sizeof(Row), checked in TryRun

        // Rows already computed, by PC: a row is a pure function of the image's CFI and the PC, and stack walks (a
        // collection's above all) step from the same return addresses again and again. Direct-mapped, static
        // memory; a collision replaces the entry. Only rows whose return address is rip are kept.
        private const int CachedRows = 128;

        private struct RowCache
        {
            public fixed ulong Pc[CachedRows];
            public fixed byte Rows[CachedRows * RowSlotBytes];
        }

        private static RowCache s_cache;

        private static int CacheIndex(ulong pc) => (int)((pc ^ (pc >> 7) ^ (pc >> 14)) & (CachedRows - 1));

        private Row _row;
        private Row _initial;       // the row after the CIE's instructions: what DW_CFA_restore returns to
        private fixed byte _stack[MaxRememberedRows * RowSlotBytes];
        private int _stackDepth;

        /// <summary>Computes the unwind row of <paramref name="fde"/> at <paramref name="pc"/>.</summary>
        public bool TryRun(ref FrameDescription fde, ulong pc)
        {
            _row = default;
            _stackDepth = 0;
            if (sizeof(Row) > RowSlotBytes)
                return false;
            ulong location = fde.PcBegin;
            if (!Execute(ref fde, fde.CieInstructions, fde.CieInstructionsEnd, ref location, ulong.MaxValue))
                return false;
            _initial = _row;
            location = fde.PcBegin;
            return Execute(ref fde, fde.Instructions, fde.InstructionsEnd, ref location, pc);
        }

        /// <summary>Unwinds <paramref name="context"/> with the row an earlier <see cref="Remember"/> kept for
        /// <paramref name="pc"/>; false when there is none (then parse the FDE and run its program).</summary>
        public static bool TryApplyRemembered(ulong pc, ref RegisterContext context)
        {
            int index = CacheIndex(pc);
            if (pc == 0 || s_cache.Pc[index] != pc)
                return false;
            fixed (byte* rows = s_cache.Rows)
                return TryApply(ref *(Row*)(rows + index * RowSlotBytes), ref context);
        }

        /// <summary>Keeps the row just computed for <paramref name="pc"/> (call after a successful TryRun/TryApply
        /// with rip as the return address register).</summary>
        public void Remember(ulong pc)
        {
            int index = CacheIndex(pc);
            s_cache.Pc[index] = 0;
            fixed (byte* rows = s_cache.Rows)
                *(Row*)(rows + index * RowSlotBytes) = _row;
            s_cache.Pc[index] = pc;
        }

        /// <summary>
        /// Turns <paramref name="context"/> (this frame's registers) into the caller's: the CFA becomes rsp, the
        /// return address rip, and saved registers are read back from the stack. False if the row cannot be applied.
        /// </summary>
        public bool TryApply(ref RegisterContext context, int returnAddressRegister)
        {
            if (returnAddressRegister != RegisterContext.Rip)
                return false;
            return TryApply(ref _row, ref context);
        }

        private static bool TryApply(ref Row row, ref RegisterContext context)
        {
            if (row.CfaRegister < 0 || row.CfaRegister >= RegisterContext.Count)
                return false;
            ulong cfa = (ulong)((long)context[row.CfaRegister] + row.CfaOffset);
            RegisterContext caller = context;
            for (int reg = 0; reg < RegisterContext.Count; reg++)
            {
                long operand = row.Operands[reg];
                switch ((Rule)row.Rules[reg])
                {
                    case Rule.Offset:
                        caller[reg] = *(ulong*)(cfa + (ulong)operand);
                        break;
                    case Rule.ValueOffset:
                        caller[reg] = cfa + (ulong)operand;
                        break;
                    case Rule.InRegister:
                        if (operand < 0 || operand >= RegisterContext.Count)
                            return false;
                        caller[reg] = context[(int)operand];
                        break;
                    case Rule.Undefined:
                        if (reg == RegisterContext.Rip)
                            caller[reg] = 0;        // the outermost frame: no caller
                        break;
                }
            }
            caller.Sp = cfa;
            context = caller;
            return true;
        }

        private bool Execute(ref FrameDescription fde, byte* start, byte* end, ref ulong location, ulong pc)
        {
            var r = new DwarfReader(start);
            while (r.Position < end)
            {
                byte op = r.ReadByte();
                byte low = (byte)(op & 0x3F);
                switch (op >> 6)
                {
                    case 1:                                  // DW_CFA_advance_loc
                        if (!Advance(ref location, low * fde.CodeAlignment, pc))
                            return true;
                        continue;
                    case 2:                                  // DW_CFA_offset
                        Set(low, Rule.Offset, (long)r.ReadUleb128() * fde.DataAlignment);
                        continue;
                    case 3:                                  // DW_CFA_restore
                        Restore(low);
                        continue;
                }
                switch (op)
                {
                    case 0x00:                               // DW_CFA_nop
                        break;
                    case 0x01:                               // DW_CFA_set_loc (absolute address in the CIE's format)
                        {
                            ulong target = r.ReadUInt64();
                            if (target > pc)
                                return true;
                            location = target;
                            break;
                        }
                    case 0x02:                               // DW_CFA_advance_loc1
                        if (!Advance(ref location, r.ReadByte() * fde.CodeAlignment, pc))
                            return true;
                        break;
                    case 0x03:                               // DW_CFA_advance_loc2
                        if (!Advance(ref location, r.ReadUInt16() * fde.CodeAlignment, pc))
                            return true;
                        break;
                    case 0x04:                               // DW_CFA_advance_loc4
                        if (!Advance(ref location, r.ReadUInt32() * fde.CodeAlignment, pc))
                            return true;
                        break;
                    case 0x05:                               // DW_CFA_offset_extended
                        {
                            ulong reg = r.ReadUleb128();
                            Set(reg, Rule.Offset, (long)r.ReadUleb128() * fde.DataAlignment);
                            break;
                        }
                    case 0x06:                               // DW_CFA_restore_extended
                        Restore(r.ReadUleb128());
                        break;
                    case 0x07:                               // DW_CFA_undefined
                        Set(r.ReadUleb128(), Rule.Undefined, 0);
                        break;
                    case 0x08:                               // DW_CFA_same_value
                        Set(r.ReadUleb128(), Rule.SameValue, 0);
                        break;
                    case 0x09:                               // DW_CFA_register
                        {
                            ulong reg = r.ReadUleb128();
                            Set(reg, Rule.InRegister, (long)r.ReadUleb128());
                            break;
                        }
                    case 0x0A:                               // DW_CFA_remember_state
                        if (_stackDepth == MaxRememberedRows)
                            return false;
                        fixed (byte* stack = _stack)
                            *(Row*)(stack + _stackDepth++ * RowSlotBytes) = _row;
                        break;
                    case 0x0B:                               // DW_CFA_restore_state
                        if (_stackDepth == 0)
                            return false;
                        fixed (byte* stack = _stack)
                            _row = *(Row*)(stack + --_stackDepth * RowSlotBytes);
                        break;
                    case 0x0C:                               // DW_CFA_def_cfa
                        _row.CfaRegister = (int)r.ReadUleb128();
                        _row.CfaOffset = (int)r.ReadUleb128();
                        break;
                    case 0x0D:                               // DW_CFA_def_cfa_register
                        _row.CfaRegister = (int)r.ReadUleb128();
                        break;
                    case 0x0E:                               // DW_CFA_def_cfa_offset
                        _row.CfaOffset = (int)r.ReadUleb128();
                        break;
                    case 0x11:                               // DW_CFA_offset_extended_sf
                        {
                            ulong reg = r.ReadUleb128();
                            Set(reg, Rule.Offset, r.ReadSleb128() * fde.DataAlignment);
                            break;
                        }
                    case 0x12:                               // DW_CFA_def_cfa_sf
                        _row.CfaRegister = (int)r.ReadUleb128();
                        _row.CfaOffset = (int)(r.ReadSleb128() * fde.DataAlignment);
                        break;
                    case 0x13:                               // DW_CFA_def_cfa_offset_sf
                        _row.CfaOffset = (int)(r.ReadSleb128() * fde.DataAlignment);
                        break;
                    case 0x14:                               // DW_CFA_val_offset
                        {
                            ulong reg = r.ReadUleb128();
                            Set(reg, Rule.ValueOffset, (long)r.ReadUleb128() * fde.DataAlignment);
                            break;
                        }
                    case 0x15:                               // DW_CFA_val_offset_sf
                        {
                            ulong reg = r.ReadUleb128();
                            Set(reg, Rule.ValueOffset, r.ReadSleb128() * fde.DataAlignment);
                            break;
                        }
                    case 0x2E:                               // DW_CFA_GNU_args_size: only matters to callers that pop arguments
                        r.ReadUleb128();
                        break;
                    case 0x2F:                               // DW_CFA_GNU_negative_offset_extended
                        {
                            ulong reg = r.ReadUleb128();
                            Set(reg, Rule.Offset, -(long)r.ReadUleb128() * fde.DataAlignment);
                            break;
                        }
                    default:                                 // expressions and anything unknown
                        return false;
                }
            }
            return true;
        }

        // Rows apply from their location up to the next row's: stop before a row that starts beyond the PC.
        private static bool Advance(ref ulong location, ulong delta, ulong pc)
        {
            if (location + delta > pc)
                return false;
            location += delta;
            return true;
        }

        private void Set(ulong reg, Rule rule, long operand)
        {
            if (reg >= RegisterContext.Count)
                return;                                  // vector registers: nothing the kernel's code saves
            _row.Rules[(int)reg] = (byte)rule;
            _row.Operands[(int)reg] = (int)operand;
        }

        private void Restore(ulong reg)
        {
            if (reg >= RegisterContext.Count)
                return;
            _row.Rules[(int)reg] = _initial.Rules[(int)reg];
            _row.Operands[(int)reg] = _initial.Operands[(int)reg];
        }
    }
}
