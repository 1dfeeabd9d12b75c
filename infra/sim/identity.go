package sim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// attestationSecret signs the simulated attestations. A real verifier signs
// with its own key; the simulator's is public by nature.
var attestationSecret = []byte("kaiban-sim-identity")

// roleLabels names the roles in the agency's messages.
var roleLabels = map[string]string{
	"legalRepresentative": "法定代表人",
	"shareholder":         "股东",
	"director":            "董事",
	"supervisor":          "监事",
	"manager":             "经理",
	"financeOfficer":      "财务负责人",
	"taxHandler":          "办税人",
	"liaison":             "联络员",
}

func roleLabel(role string) string {
	if l, ok := roleLabels[role]; ok {
		return l
	}
	return "人员"
}

// identityFailed is a failed verification; msg names the person by
// position and role, never by ID number.
func identityFailed(i int, p kaiban.Person, why string) *apiError {
	e := rejected(fmt.Sprintf("第%d位人员（%s）实名核验未通过：%s", i+1, roleLabel(p.Role), why))
	e.code = agency.CodeIdentityFailed
	return e
}

// verifyIdentity checks every person: a valid resident ID, and a name that
// matches (the trigger 冒用 marks an impostor). The attestation's digest is
// an HMAC over the key, every name and ID and the time, so it proves what
// was verified without carrying it.
func verifyIdentity(e *env, req *kaiban.IdentityRequest) (kaiban.IdentityAttestation, *apiError) {
	if len(req.Persons) == 0 {
		return kaiban.IdentityAttestation{}, badRequest("缺少需要核验的人员")
	}
	for i, p := range req.Persons {
		switch {
		case p.Name == "" || p.IDNumber == "":
			return kaiban.IdentityAttestation{}, badRequest(fmt.Sprintf("第%d位人员缺少姓名或身份证号码", i+1))
		case !cnid.ValidResidentID(p.IDNumber):
			return kaiban.IdentityAttestation{}, identityFailed(i, p, "身份证号码不存在")
		case strings.Contains(p.Name, "冒用"):
			return kaiban.IdentityAttestation{}, identityFailed(i, p, "身份信息与本人不符")
		}
	}
	if e.reject {
		i := e.rng.IntN(len(req.Persons))
		return kaiban.IdentityAttestation{}, identityFailed(i, req.Persons[i], "人脸比对未通过")
	}
	mac := hmac.New(sha256.New, attestationSecret)
	mac.Write([]byte(e.call.key))
	for _, p := range req.Persons {
		fmt.Fprintf(mac, "\x00%s\x00%s", p.Name, p.IDNumber)
	}
	mac.Write([]byte(e.now.UTC().Format(time.RFC3339Nano)))
	return kaiban.IdentityAttestation{
		ID:         "IDV" + e.now.Format("20060102") + hexUpper(e.rng, 12),
		VerifiedAt: e.now,
		Persons:    len(req.Persons),
		Digest:     hex.EncodeToString(mac.Sum(nil)),
	}, nil
}
