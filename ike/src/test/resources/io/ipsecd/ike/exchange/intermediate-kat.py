# Known answers for IntermediateKeyScheduleTest: python3 intermediate-kat.py
import hmac, hashlib, struct
H=lambda k,d: hmac.new(k,d,hashlib.sha256).digest()
def prfplus(k,s,n):
    out=b"";t=b"";i=1
    while len(out)<n:
        t=H(k,t+s+bytes([i]));out+=t;i+=1
    return out[:n]
ni=bytes([0x11])*32; nr=bytes([0x22])*32
spii=bytes.fromhex("0102030405060708"); spir=bytes.fromhex("1112131415161718")
skd0=bytes([0x33])*32; sk1=bytes([0x44])*32
skeyseed=H(skd0, sk1+ni+nr)
km=prfplus(skeyseed, ni+nr+spii+spir, 3*32+2*36)
skd1,skei,sker,skpi,skpr=km[:32],km[32:68],km[68:104],km[104:136],km[136:168]
print("SKEYSEED", skeyseed.hex()); print("SK_d", skd1.hex()); print("SK_ei", skei.hex()); print("SK_er", sker.hex()); print("SK_pi", skpi.hex()); print("SK_pr", skpr.hex())
# IntAuth: request (I flag, msgid 1) with KE payload group 36 data 0xaa*8 ; response (R flag, msgid1) KE 36 data 0xbb*4
def ke(group,data,nxt=0):
    body=struct.pack(">HH",group,0)+data
    return bytes([nxt,0])+struct.pack(">H",4+len(body))+body
def a_part(flags,msgid,first,plen):
    hdr=spii+spir+bytes([46,0x20,43,flags])+struct.pack(">II",msgid,28+4+plen)
    return hdr+bytes([first,0])+struct.pack(">H",4+plen)
p_i=ke(36,bytes([0xaa])*8); p_r=ke(36,bytes([0xbb])*4)
skpi0=bytes([0x55])*32; skpr0=bytes([0x66])*32
ia_i=H(skpi0, a_part(0x08,1,34,len(p_i))+p_i)
ia_r=H(skpr0, a_part(0x20,1,34,len(p_r))+p_r)
print("A_i", a_part(0x08,1,34,len(p_i)).hex())
print("IntAuth_i1", ia_i.hex()); print("IntAuth_r1", ia_r.hex())
# second round with new keys skpi (from above) on msg id 2
p_i2=ke(37,bytes([0xcc])*3)
ia_i2=H(skpi, ia_i+a_part(0x08,2,34,len(p_i2))+p_i2)
print("IntAuth_i2", ia_i2.hex())
octets=b"\x01\x02\x03"
print("appended", (octets+ia_i2+ia_r+struct.pack(">I",3)).hex())
