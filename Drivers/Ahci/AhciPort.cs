// AhciPort.cs -- one AHCI port with an ATA disk: the block layer's device for it. One command slot (slot 0) is
// used, one request at a time: a command list, the received-FIS area and a command table with one PRD entry share a
// page; data goes through a one-page bounce buffer (so a request is at most a page).
//
// Commands are 48-bit ATA (ACS-3): IDENTIFY DEVICE (0xEC) at start-up, READ DMA EXT (0x25), WRITE DMA EXT (0x35) and
// FLUSH CACHE EXT (0xEA, only when IDENTIFY says a write cache is enabled), each a register host-to-device FIS. A
// command is done when its command-issue bit clears; a task-file error (PxIS.TFES, or ERR/DF in PxTFD) fails it with
// IoError and restarts the port (AHCI 1.3.1, 6.2.2.1: stop, clear errors, start); no answer within 1 s is Timeout.
using Drivers.Block;
using Kernel.Arch;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Time;

namespace Drivers.Ahci
{
    public sealed unsafe class AhciPort : BlockDevice
    {
        private const int PxClb = 0x00, PxFb = 0x08, PxIs = 0x10, PxIe = 0x14, PxCmd = 0x18, PxTfd = 0x20, PxSsts = 0x28,
            PxSerr = 0x30, PxCi = 0x38;
        private const uint CmdStart = 1, CmdSpinUp = 2, CmdPowerOn = 4, CmdFisReceive = 1u << 4, CmdFisRunning = 1u << 14, CmdListRunning = 1u << 15;
        private const uint TfdBusy = 0x80, TfdDrq = 0x08, TfdError = 0x01, TfdDeviceFault = 0x20;
        private const uint IsTaskFileError = 1u << 30;
        // Interrupts wanted: D2H register FIS, PIO setup, DMA setup, set device bits, and the error causes.
        private const uint InterruptsWanted = 0xF | 1u << 27 | 1u << 28 | 1u << 29 | 1u << 30;
        private const int ClOffset = 0, FisOffset = 0x400, TableOffset = 0x800, PrdtOffset = 0x80;
        private const byte AtaIdentify = 0xEC, AtaReadDmaExt = 0x25, AtaWriteDmaExt = 0x35, AtaFlushCacheExt = 0xEA;

        private readonly AhciController _controller;
        private readonly int _port;
        private readonly int _base;
        private ulong _page, _bounce;

        public string Model { get; private set; }

        public override int MaxSectorsPerRequest => (int)PhysicalMemory.PageSize / SectorSize;

        internal AhciPort(AhciController controller, int port)
        {
            _controller = controller;
            _port = port;
            _base = 0x100 + port * 0x80;
        }

        /// <summary>Starts the port and identifies its disk: null when it is usable, "" when nothing is attached,
        /// else why it is not used.</summary>
        internal string Start()
        {
            if ((Read(PxSsts) & 0xF) != 3)
                return "";   // no device, or no PHY communication
            _page = PhysicalMemory.AllocatePage();
            _bounce = PhysicalMemory.AllocatePage();
            if (_page == 0 || _bounce == 0)
                return "out of memory for the command list";
            new System.Span<byte>(DirectMap.Pointer(_page), (int)PhysicalMemory.PageSize).Clear();
            if (!Stop())
                return "the port did not stop";
            Write(PxClb, (uint)(_page + ClOffset));
            Write(PxClb + 4, (uint)((_page + ClOffset) >> 32));
            Write(PxFb, (uint)(_page + FisOffset));
            Write(PxFb + 4, (uint)((_page + FisOffset) >> 32));
            if (!Run())
                return "the port did not start (device busy)";
            Write(PxIe, InterruptsWanted);

            if (Issue(AtaIdentify, 0, 0, false, 512) != BlockStatus.Ok)
                return "IDENTIFY DEVICE aborted (not an ATA disk)";
            ushort* id = (ushort*)DirectMap.Pointer(_bounce);
            if ((id[83] & 1 << 10) == 0)
                return "no 48-bit addressing";
            SectorCount = id[100] | (ulong)id[101] << 16 | (ulong)id[102] << 32 | (ulong)id[103] << 48;
            if ((id[106] & 0xC000) == 0x4000 && (id[106] & 1 << 12) != 0)
                SectorSize = (int)(id[117] | (uint)id[118] << 16) * 2;
            if (SectorSize < 512 || SectorSize > 4096 || (SectorSize & (SectorSize - 1)) != 0 || SectorCount == 0)
                return "unsupported geometry";
            CanFlush = (id[85] & 1 << 5) != 0 && (id[83] & 1 << 13) != 0;   // write cache on, FLUSH CACHE EXT there
            Model = AtaString(id + 27, 20);
            return null;
        }

        internal void Register(string adapter)
        {
            Adapter = adapter;
            Name = string.Concat("mpx.", adapter, ":C0:T", _port.ToString(), ":L0");
        }

        protected override BlockStatus Submit(BlockOperation operation, ulong lba, int count, byte* buffer)
        {
            uint bytes = (uint)(count * SectorSize);
            BlockStatus status;
            if (operation == BlockOperation.Flush)
                return Issue(AtaFlushCacheExt, 0, 0, false, 0);
            if (operation == BlockOperation.Write)
            {
                System.Buffer.MemoryCopy(buffer, DirectMap.Pointer(_bounce), bytes, bytes);
                return Issue(AtaWriteDmaExt, lba, count, true, bytes);
            }
            status = Issue(AtaReadDmaExt, lba, count, false, bytes);
            if (status == BlockStatus.Ok)
                System.Buffer.MemoryCopy(DirectMap.Pointer(_bounce), buffer, bytes, bytes);
            return status;
        }

        // One command in slot 0: the FIS, a PRD entry for the bounce page when there is data, issue, wait.
        private BlockStatus Issue(byte ataCommand, ulong lba, int count, bool write, uint bytes)
        {
            byte* page = (byte*)DirectMap.Pointer(_page);
            uint* header = (uint*)(page + ClOffset);
            header[0] = 5u | (write ? 1u << 6 : 0) | (bytes != 0 ? 1u << 16 : 0);   // FIS of 5 dwords, one PRD
            header[1] = 0;
            header[2] = (uint)(_page + TableOffset);
            header[3] = (uint)((_page + TableOffset) >> 32);
            byte* fis = page + TableOffset;
            new System.Span<byte>(fis, PrdtOffset).Clear();
            fis[0] = 0x27;            // register host to device
            fis[1] = 0x80;            // a command, not a control update
            fis[2] = ataCommand;
            fis[4] = (byte)lba;
            fis[5] = (byte)(lba >> 8);
            fis[6] = (byte)(lba >> 16);
            fis[7] = 0x40;            // LBA mode
            fis[8] = (byte)(lba >> 24);
            fis[9] = (byte)(lba >> 32);
            fis[10] = (byte)(lba >> 40);
            fis[12] = (byte)count;
            fis[13] = (byte)(count >> 8);
            uint* prd = (uint*)(fis + PrdtOffset);
            prd[0] = (uint)_bounce;
            prd[1] = (uint)(_bounce >> 32);
            prd[2] = 0;
            prd[3] = bytes == 0 ? 0 : (bytes - 1) | 1u << 31;   // interrupt on completion

            Write(PxIs, 0xFFFFFFFF);
            Write(PxCi, 1);
            ulong deadline = Cpu.ReadTimestampCounter() + Clock.TscHz;
            while ((Read(PxCi) & 1) != 0)
            {
                if ((Read(PxIs) & IsTaskFileError) != 0)
                    break;
                if (!_controller.Interrupt.Wait(deadline))
                {
                    if (Name != null)
                        Log.Warning("ahci", string.Concat(Name, ": a request did not complete in 1 s; the device is marked failed"));
                    Recover();
                    return BlockStatus.Timeout;
                }
            }
            uint tfd = Read(PxTfd);
            bool failed = (Read(PxIs) & IsTaskFileError) != 0 || (tfd & (TfdError | TfdDeviceFault)) != 0;
            Write(PxIs, 0xFFFFFFFF);
            _controller.Acknowledge(_port);
            if (failed)
            {
                if (Name != null)
                    Log.Warning("ahci", string.Concat(Name, ": command 0x", ((ulong)ataCommand).ToString("X"), " failed, task file 0x", ((ulong)tfd).ToString("X")));
                Recover();
                return BlockStatus.IoError;
            }
            return BlockStatus.Ok;
        }

        // After an error the port stops processing its list; a stop and start (with the errors cleared) resumes it.
        private void Recover()
        {
            Stop();
            Run();
        }

        private bool Stop()
        {
            Write(PxCmd, Read(PxCmd) & ~CmdStart);
            if (!WaitClear(CmdListRunning))
                return false;
            Write(PxCmd, Read(PxCmd) & ~CmdFisReceive);
            return WaitClear(CmdFisRunning);
        }

        private bool Run()
        {
            Write(PxSerr, 0xFFFFFFFF);
            Write(PxIs, 0xFFFFFFFF);
            Write(PxCmd, Read(PxCmd) | CmdFisReceive | CmdSpinUp | CmdPowerOn);
            ulong deadline = Cpu.ReadTimestampCounter() + Clock.TscHz;
            while ((Read(PxTfd) & (TfdBusy | TfdDrq)) != 0)
            {
                if (Cpu.ReadTimestampCounter() > deadline)
                    return false;
                Cpu.Pause();
            }
            Write(PxCmd, Read(PxCmd) | CmdStart);
            return true;
        }

        private bool WaitClear(uint bits)
        {
            ulong deadline = Cpu.ReadTimestampCounter() + Clock.TscHz / 2;
            while ((Read(PxCmd) & bits) != 0)
            {
                if (Cpu.ReadTimestampCounter() > deadline)
                    return false;
                Cpu.Pause();
            }
            return true;
        }

        // ATA strings hold two characters per word, the first in the high byte, padded with spaces.
        private static string AtaString(ushort* words, int count)
        {
            var chars = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                chars[2 * i] = Printable((byte)(words[i] >> 8));
                chars[2 * i + 1] = Printable((byte)words[i]);
            }
            int length = chars.Length;
            while (length > 0 && chars[length - 1] == ' ')
                length--;
            return new string(chars, 0, length);
        }

        private static char Printable(byte b) => b >= 0x20 && b < 0x7F ? (char)b : '?';

        private uint Read(int register) => _controller.Read32(_base + register);
        private void Write(int register, uint value) => _controller.Write32(_base + register, value);
    }
}
